using System.Globalization;
using System.Text.Json.Nodes;
using GitOps.Agent.Kube;
using GitOps.Agent.Sync;

namespace GitOps.Agent.Hosting;

/// <summary>
/// Kubernetes Events on a target's ApplySet parent for every pass that changed something or
/// failed, so <c>kubectl describe configmap gitops-&lt;target&gt;</c> tells the story.
/// </summary>
internal sealed class EventRecorder(KubeApi api, TimeProvider clock)
{
    public async Task RecordAsync(SyncTarget target, SyncResult result, CancellationToken ct)
    {
        if (result.Phase == SyncPhase.Synced && !result.HasDrift)
        {
            return;
        }

        var now = clock.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var parent = InventoryStore.ParentName(target);
        var ev = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Event",
            ["metadata"] = new JsonObject { ["generateName"] = $"{parent}.", ["namespace"] = target.InventoryNamespace },
            ["involvedObject"] = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["name"] = parent, ["namespace"] = target.InventoryNamespace },
            ["reason"] = result.Phase == SyncPhase.Synced ? "Synced" : "SyncFailed",
            ["type"] = result.Phase == SyncPhase.Synced ? "Normal" : "Warning",
            ["message"] = Truncate($"{Revisions.Short(result.Revision)}: {result.Message}"),
            ["source"] = new JsonObject { ["component"] = "gitops-agent" },
            ["firstTimestamp"] = now,
            ["lastTimestamp"] = now,
            ["count"] = 1,
        };
        try
        {
            await api.CreateAsync($"/api/v1/namespaces/{target.InventoryNamespace}/events", ev, ct);
        }
        catch (KubeApiException)
        {
            // best effort: an Event the server refuses (RBAC, quota) must not fail a pass
        }
    }

    private static string Truncate(string s) => s.Length > 1000 ? s[..1000] + "…" : s;
}
