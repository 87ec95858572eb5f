using System.Text.Json.Nodes;
using GitOps.Agent.Kube;
using GitOps.Diff.Drift;
using GitOps.Diff.Health;
using GitOps.Diff.Identity;
using GitOps.Diff.Masking;
using GitOps.Diff.Prune;

namespace GitOps.Agent.Sync;

/// <summary>Carries out the pure prune plan: deletes in prune order, one at a time, and reports each object.</summary>
internal sealed class Pruner(KubeApi api)
{
    public sealed record Outcome(IReadOnlyList<ObjectResult> Results, IReadOnlySet<ResourceKey> Kept);

    public async Task<Outcome> PruneAsync(
        IReadOnlyList<PruneDecision> decisions,
        IReadOnlyDictionary<ResourceKey, ApiResource> resources,
        IReadOnlyDictionary<ResourceKey, JsonObject> live,
        bool dryRun,
        SecretRedactor redactor,
        CancellationToken ct)
    {
        var results = new List<ObjectResult>();
        var kept = new HashSet<ResourceKey>();
        foreach (var d in decisions)
        {
            switch (d.Verdict)
            {
                case PruneVerdict.Skip:
                    kept.Add(d.Key);
                    results.Add(new ObjectResult(d.Key, SyncAction.PruneSkipped, HealthStatus.Healthy, d.Reason));
                    break;
                case PruneVerdict.Delete when dryRun:
                    kept.Add(d.Key);
                    results.Add(new ObjectResult(d.Key, SyncAction.Pruned, HealthStatus.Healthy, "would be pruned"));
                    break;
                case PruneVerdict.Delete:
                    results.Add(await DeleteAsync(d, resources[d.Key], live[d.Key], redactor, kept, ct));
                    break;
            }
        }

        return new Outcome(results, kept);
    }

    private async Task<ObjectResult> DeleteAsync(
        PruneDecision d, ApiResource resource, JsonObject judged, SecretRedactor redactor, HashSet<ResourceKey> kept, CancellationToken ct)
    {
        // The decision was made on this uid and resourceVersion; if the object changed hands or
        // state since (relabelled, recreated by someone else), the server refuses the delete.
        var preconditions = new JsonObject
        {
            ["uid"] = (string?)judged["metadata"]?["uid"],
            ["resourceVersion"] = (string?)judged["metadata"]?["resourceVersion"],
        };
        try
        {
            await api.DeleteAsync(resource.Path(d.Key.Namespace, d.Key.Name), ct, preconditions);
            return new ObjectResult(d.Key, SyncAction.Pruned, HealthStatus.Healthy, d.Reason);
        }
        catch (KubeApiException ex) when (ex.IsConflict)
        {
            kept.Add(d.Key);
            return new ObjectResult(d.Key, SyncAction.PruneSkipped, HealthStatus.Unknown, "changed since it was judged; the next pass decides again");
        }
        catch (KubeApiException ex)
        {
            kept.Add(d.Key);
            return new ObjectResult(d.Key, SyncAction.Failed, HealthStatus.Unknown, redactor.Redact($"{d.Key}: prune failed: {ex.Message}"));
        }
    }

    /// <summary>The live object of a prune candidate, from the pass's LISTs.</summary>
    public static Func<ResourceKey, JsonObject?> Lookup(IReadOnlyDictionary<ResourceKey, JsonObject> live) =>
        key => live.GetValueOrDefault(key);
}
