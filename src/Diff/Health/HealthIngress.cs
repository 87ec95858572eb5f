namespace GitOps.Diff.Health;

/// <summary>
/// An Ingress routes traffic once its controller published an address, as Argo CD judges it
/// (kstatus has no rule and calls every Ingress Current). Stricter on purpose: an Ingress no
/// controller picked up (a wrong ingressClassName, none installed) does not serve anything. Some
/// controllers never write the address (Argo CD's FAQ names Contour and Traefik); for those a
/// per-kind rule in the agent config says what Healthy means instead.
/// </summary>
internal static class HealthIngress
{
    public static HealthResult Assess(StatusReader obj)
    {
        var ingress = obj.Array("status.loadBalancer.ingress") ?? [];
        for (var i = 0; i < ingress.Count; i++)
        {
            var address = obj.Text($"status.loadBalancer.ingress.{i}.ip")
                ?? obj.Text($"status.loadBalancer.ingress.{i}.hostname");
            if (!string.IsNullOrEmpty(address))
            {
                return obj.Healthy($"served at {address}");
            }
        }

        var controller = obj.Text("spec.ingressClassName") is { Length: > 0 } name ? $"the {name} ingress controller" : "an ingress controller";
        return obj.Progressing($"waiting for an address from {controller}");
    }
}
