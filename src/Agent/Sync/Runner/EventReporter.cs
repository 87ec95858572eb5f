using System.Globalization;
using System.Text.Json.Nodes;
using GitOps.Agent.Kube;

namespace GitOps.Agent.Sync;

/// <summary>
/// Kubernetes Events on a target's ApplySet parent for every pass that changed something or
/// failed (source failures included), so <c>kubectl describe configmap gitops-&lt;target&gt;</c>
/// tells the story. An Event the server refuses (RBAC, quota) never fails a pass; the runner logs it.
/// </summary>
internal sealed class EventReporter(IClusterClient api, TimeProvider clock) : IPassReporter
{
    public Task ProgressingAsync(PassContext pass, CancellationToken ct) => Task.CompletedTask;

    public async Task FinishedAsync(PassContext pass, SyncResult result, bool infrastructure, CancellationToken ct)
    {
        if ((result.Phase == SyncPhase.Synced && !result.HasDrift) || result.ClusterUnreachable || (result.HealthUpdate && result.Health != Diff.Health.HealthStatus.Healthy))
        {
            return; // a health update tells only the end of the rollout: the release had its Event
        }

        var target = pass.Target;
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
            ["message"] = Truncate(result.Revision.Length > 0 ? $"{Revisions.Short(result.Revision)}: {(result.HealthUpdate ? $"now {result.Health} ({result.Message})" : result.Message)}" : result.Message),
            ["source"] = new JsonObject { ["component"] = "gitops-agent" },
            ["firstTimestamp"] = now,
            ["lastTimestamp"] = now,
            ["count"] = 1,
        };
        await api.CreateAsync($"/api/v1/namespaces/{target.InventoryNamespace}/events", ev, ct);
    }

    private static string Truncate(string s) => s.Length > 1000 ? s[..1000] + "…" : s;
}
