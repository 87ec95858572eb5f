using System.Text.Json.Nodes;
using GitOps.Agent.Kube;
using GitOps.Diff.Drift;
using GitOps.Diff.Health;
using GitOps.Diff.Identity;
using GitOps.Diff.Masking;
using GitOps.Diff.Prune;

namespace GitOps.Agent.Sync;

/// <summary>What the Prune stage did: one result per candidate, and the members that are gone from the set.</summary>
internal sealed record PruneOutcome(IReadOnlyList<ObjectResult> Results, IReadOnlySet<ResourceKey> Removed);

/// <summary>
/// Carries out the pure prune plan: deletes in prune order, one at a time, and reports each
/// object. A Namespace is deleted only after its contents were checked (see <see cref="NamespaceGuard"/>).
/// </summary>
internal sealed class Pruner(IClusterClient api, NamespaceContents contents)
{
    public async Task<PruneOutcome> PruneAsync(
        IReadOnlyList<PruneDecision> decisions, Observation observed, ApplySetInventory inventory, bool dryRun, SecretRedactor redactor, CancellationToken ct)
    {
        var results = new List<ObjectResult>();
        var removed = new HashSet<ResourceKey>();
        var members = inventory.Members.Keys.ToHashSet();
        foreach (var d in decisions)
        {
            var decision = d.Verdict == PruneVerdict.Delete && d.Key.GroupKind == PrunePlanner.NamespaceKind
                ? await GuardNamespaceAsync(d, inventory.Id, members, ct)
                : d;
            switch (decision.Verdict)
            {
                case PruneVerdict.Forget:
                    removed.Add(d.Key);
                    break;
                case PruneVerdict.Skip:
                    results.Add(new ObjectResult(d.Key, SyncAction.PruneSkipped, HealthStatus.Healthy, decision.Reason));
                    break;
                case PruneVerdict.Delete when dryRun:
                    results.Add(new ObjectResult(d.Key, SyncAction.Pruned, HealthStatus.Healthy, "would be pruned"));
                    break;
                case PruneVerdict.Delete:
                    results.Add(await DeleteAsync(decision, observed, redactor, removed, ct));
                    break;
            }
        }

        return new PruneOutcome(results, removed);
    }

    private async Task<PruneDecision> GuardNamespaceAsync(PruneDecision d, string applySetId, IReadOnlySet<ResourceKey> members, CancellationToken ct)
    {
        var others = await contents.NonMembersAsync(d.Key.Name, applySetId, ct);
        return NamespaceGuard.Blocker(d.Key.Name, others, members) is { } reason ? d with { Verdict = PruneVerdict.Skip, Reason = reason } : d;
    }

    private async Task<ObjectResult> DeleteAsync(PruneDecision d, Observation observed, SecretRedactor redactor, HashSet<ResourceKey> removed, CancellationToken ct)
    {
        // The decision was made on this uid and resourceVersion; if the object changed hands or
        // state since (relabelled, recreated by someone else), the server refuses the delete.
        var judged = observed.Live[d.Key];
        var preconditions = new JsonObject
        {
            ["uid"] = (string?)judged["metadata"]?["uid"],
            ["resourceVersion"] = (string?)judged["metadata"]?["resourceVersion"],
        };
        try
        {
            await api.DeleteAsync(observed.PruneCandidates[d.Key].Path(d.Key.Namespace, d.Key.Name), ct, preconditions);
            removed.Add(d.Key);
            return new ObjectResult(d.Key, SyncAction.Pruned, HealthStatus.Healthy, d.Reason);
        }
        catch (KubeApiException ex) when (ex.IsConflict)
        {
            return new ObjectResult(d.Key, SyncAction.PruneSkipped, HealthStatus.Unknown, "changed since it was judged; the next pass decides again");
        }
        catch (KubeApiException ex)
        {
            return new ObjectResult(d.Key, SyncAction.Failed, HealthStatus.Unknown, redactor.Redact($"{d.Key}: prune failed: {ex.Message}"));
        }
    }
}
