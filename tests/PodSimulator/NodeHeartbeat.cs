using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace GitOps.PodSimulator;

/// <summary>
/// Keeps one Node registered and Ready the way a kubelet does: its NodeReady condition's heartbeat
/// and its Lease in kube-node-lease are renewed every <see cref="SimOptions.HeartbeatInterval"/>, so
/// the node-lifecycle controller never marks it NotReady or taints it (it waits 40 s).
/// </summary>
internal sealed class NodeHeartbeat(Kubernetes client, SimOptions options)
{
    private const string LeaseNamespace = "kube-node-lease";

    public async Task RunAsync(CancellationToken ct)
    {
        var failing = false;
        while (true)
        {
            try
            {
                await EnsureNodeAsync(ct);
                await ReportReadyAsync(ct);
                await RenewLeaseAsync(ct);
                if (failing)
                {
                    Log.Info($"node {options.NodeName}: heartbeat renewed again");
                }

                failing = false;
                await Task.Delay(SimOptions.HeartbeatInterval, ct);
            }
            catch (Exception e) when (e is HttpRequestException or HttpOperationException or IOException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                if (!failing)
                {
                    Log.Info($"node {options.NodeName}: heartbeat failed, retrying: {e.Message}");
                }

                failing = true;
                await Task.Delay(SimOptions.RetryDelay, ct);
            }
        }
    }

    private async Task EnsureNodeAsync(CancellationToken ct)
    {
        try
        {
            await client.CoreV1.ReadNodeAsync(options.NodeName, cancellationToken: ct);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            var node = new V1Node
            {
                Metadata = new V1ObjectMeta
                {
                    Name = options.NodeName,
                    Labels = new Dictionary<string, string>
                    {
                        ["kubernetes.io/hostname"] = options.NodeName,
                        ["kubernetes.io/os"] = "linux",
                        ["kubernetes.io/arch"] = "amd64",
                        ["type"] = "gitops-podsim",
                    },
                },
            };
            await client.CoreV1.CreateNodeAsync(node, cancellationToken: ct);
            Log.Info($"node {options.NodeName}: registered");
        }
    }

    private async Task ReportReadyAsync(CancellationToken ct)
    {
        var now = Time.Now();
        JsonObject Condition(string type, string status, string reason, string message) => new()
        {
            ["type"] = type, ["status"] = status, ["reason"] = reason, ["message"] = message,
            ["lastHeartbeatTime"] = now, ["lastTransitionTime"] = now,
        };
        var resources = new JsonObject { ["cpu"] = "32", ["memory"] = "256Gi", ["pods"] = "1000", ["ephemeral-storage"] = "1Ti" };
        var status = new JsonObject
        {
            ["capacity"] = resources.DeepClone(),
            ["allocatable"] = resources,
            ["conditions"] = new JsonArray(
                Condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "simulated"),
                Condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "simulated"),
                Condition("PIDPressure", "False", "KubeletHasSufficientPID", "simulated"),
                Condition("Ready", "True", "KubeletReady", "gitops-podsim is posting ready status")),
            ["addresses"] = new JsonArray(
                new JsonObject { ["type"] = "InternalIP", ["address"] = "127.0.0.1" },
                new JsonObject { ["type"] = "Hostname", ["address"] = options.NodeName }),
            ["nodeInfo"] = new JsonObject
            {
                ["kubeletVersion"] = "v1.20.2", ["kubeProxyVersion"] = "v1.20.2", ["operatingSystem"] = "linux",
                ["architecture"] = "amd64", ["containerRuntimeVersion"] = "gitops-podsim://1", ["osImage"] = "simulated",
                ["kernelVersion"] = "simulated", ["machineID"] = "", ["systemUUID"] = "", ["bootID"] = "",
            },
        };
        // lastTransitionTime is rewritten each time; nothing in the control plane reads it for nodes.
        var patch = new JsonObject { ["status"] = status }.ToJsonString();
        await client.CoreV1.PatchNodeStatusAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), options.NodeName, cancellationToken: ct);
    }

    private async Task RenewLeaseAsync(CancellationToken ct)
    {
        V1Lease lease;
        try
        {
            lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(options.NodeName, LeaseNamespace, cancellationToken: ct);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            lease = new V1Lease
            {
                Metadata = new V1ObjectMeta { Name = options.NodeName, NamespaceProperty = LeaseNamespace },
                Spec = new V1LeaseSpec { HolderIdentity = options.NodeName, LeaseDurationSeconds = 40, RenewTime = DateTime.UtcNow },
            };
            await client.CoordinationV1.CreateNamespacedLeaseAsync(lease, LeaseNamespace, cancellationToken: ct);
            return;
        }

        lease.Spec.RenewTime = DateTime.UtcNow;
        await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, options.NodeName, LeaseNamespace, cancellationToken: ct);
    }
}

/// <summary>RFC 3339 times as the API server writes them (second precision, UTC).</summary>
internal static class Time
{
    public static string Now() => Format(DateTimeOffset.UtcNow);

    public static string Format(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
