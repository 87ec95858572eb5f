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
                case PruneVerdict.Forget when await StillOursAsync(d, observed, inventory.Id, ct):
                    results.Add(new ObjectResult(d.Key, SyncAction.PruneSkipped, HealthStatus.Unknown, "seen again since it was judged; the next pass decides"));
                    break;
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

    /// <summary>
    /// A member is dropped from the inventory only when the cluster confirms it: what this pass
    /// observed may lag (a watch not yet caught up with the last pass's create), and a member
    /// forgotten while it is still labelled would never be pruned.
    /// </summary>
    private async Task<bool> StillOursAsync(PruneDecision d, Observation observed, string applySetId, CancellationToken ct)
    {
        if (!observed.PruneCandidates.TryGetValue(d.Key, out var resource))
        {
            return false; // its kind is no longer served: nothing of it can exist
        }

        var fresh = await api.GetAsync(resource.Path(d.Key.Namespace, d.Key.Name), ct);
        return (string?)fresh?["metadata"]?["labels"]?[ManifestValidator.PartOfLabel] == applySetId;
    }

    private async Task<PruneDecision> GuardNamespaceAsync(PruneDecision d, string applySetId, IReadOnlySet<ResourceKey> members, CancellationToken ct)
    {
        IReadOnlyList<(ResourceKey Key, JsonObject Object)> others;
        try
        {
            others = await contents.NonMembersAsync(d.Key.Name, applySetId, ct);
        }
        catch (KubeApiException ex)
        {
            // One kind we may not list (RBAC) or an aggregated API that is down: unknown contents are not empty.
            return d with { Verdict = PruneVerdict.Skip, Reason = $"could not check what Namespace {d.Key.Name} holds ({ex.Reason}); it is kept" };
        }

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
