namespace GitOps.Diff.Health;

/// <summary>
/// Most Services work as soon as they exist. A LoadBalancer Service is only reachable once the
/// cloud provider published an address, so it waits for one. This is stricter than kstatus,
/// which only checks for a cluster IP; a hostname counts as well as an IP, since some providers
/// (AWS ELB) only ever publish a hostname.
/// </summary>
internal static class HealthService
{
    public static HealthResult Assess(StatusReader obj)
    {
        var type = obj.Text("spec.type") ?? "ClusterIP";
        if (type != "LoadBalancer")
        {
            return obj.Healthy($"type {type}");
        }

        var ingress = obj.Array("status.loadBalancer.ingress") ?? [];
        for (var i = 0; i < ingress.Count; i++)
        {
            var address = obj.Text($"status.loadBalancer.ingress.{i}.ip")
                ?? obj.Text($"status.loadBalancer.ingress.{i}.hostname");
            if (!string.IsNullOrEmpty(address))
            {
                return obj.Healthy($"load balancer at {address}");
            }
        }

        return obj.Progressing("waiting for a load balancer address");
    }
}
