using GitOps.Diff.Identity;
using GitOps.Diff.Masking;
using GitOps.Diff.Prune;

namespace GitOps.Agent.Sync;

internal sealed partial class SyncEngine
{
    /// <summary>Prune → record the outcome in the inventory → health, and the pass's result.</summary>
    private async Task<SyncResult> FinishAsync(SyncRequest request, PassReport report, Applied applied, Observation observed, Release release, CancellationToken ct)
    {
        var target = request.Target;
        var desired = applied.Decisions.Select(d => d.Key).ToHashSet();
        // A member that became a hook leaves the set without being pruned: the hook run owns it now.
        var hookKeys = release.Hooks.Select(h => h.Key).ToHashSet();
        // Only members this pass observed are judged; one another writer recorded since is carried as it is.
        var judged = observed.Members.Where(k => !desired.Contains(k) && !hookKeys.Contains(k));
        var decisions = target.Confinement.Confine(
            PrunePlanner.Plan(judged, desired, k => observed.Live.GetValueOrDefault(k), applied.Inventory.Id, new PruneOptions(target.Prune, target.AllowEmpty, target.PruneProtectedKinds)));
        var pruned = await pruner.PruneAsync(decisions, observed, applied.Inventory, request.DryRun, report.Redactor, ct);
        var emptyGuard = desired.Count == 0 && decisions.Any(d => d.Verdict == PruneVerdict.Skip) && !target.AllowEmpty;
        if (!request.DryRun)
        {
            // An empty render held back by its guard is not a state the cluster reached: the revision stays the last good one.
            var kept = applied.Inventory.Members.Values.Where(m => !desired.Contains(m.Key) && !pruned.Removed.Contains(m.Key) && !hookKeys.Contains(m.Key));
            var revision = emptyGuard ? applied.Inventory.Revision : request.Revision;
            await RecordAsync(target, applied.Inventory, kept, applied.Decisions, applied.Outcomes, revision, ct);
        }

        // PostSync hooks wait for everything to be Healthy even when the pass itself would judge health once.
        var wait = request.DryRun ? null : request.Timeout ?? (release.Runs && release.Has(Diff.Release.HookPhase.PostSync) ? release.Remaining(clock) : null);
        var health = await healthWaiter.AssessAsync(Subjects(applied), wait, request.Preempt, ct);
        var result = report.Complete(applied.Decisions, applied.Outcomes, pruned, health, emptyGuard) with { Hooks = [.. applied.Hooks, .. NotRunning(release, request)] };
        return await PostSyncAsync(result, report, release, ct);
    }

    private static List<HealthSubject> Subjects(Applied applied) =>
        applied.Decisions.Where(d => d is Decision.Unchanged || applied.Outcomes.ContainsKey(d.Key))
            .Select(d => applied.Outcomes.GetValueOrDefault(d.Key) is ApplyOutcome.Applied a
                ? new HealthSubject(d.Key, d.Prepared.Path, a.Result)
                : new HealthSubject(d.Key, d.Prepared.Resource is null ? null : d.Prepared.Path, d.Object.Live))
            .Where(s => applied.Outcomes.GetValueOrDefault(s.Key) is not ApplyOutcome.Failed)
            .ToList();

    /// <summary>
    /// Stores the inventory: <paramref name="carried"/> members of <paramref name="stored"/> plus one
    /// per object of the revision, at <paramref name="revision"/>. Writes only when that differs
    /// from <paramref name="stored"/>: a no-op pass writes nothing. Returns the inventory as stored
    /// (merged, if another writer came between).
    /// </summary>
    private async Task<ApplySetInventory> RecordAsync(
        SyncTarget target,
        ApplySetInventory stored,
        IEnumerable<InventoryMember> carried,
        IEnumerable<Decision> decisions,
        IReadOnlyDictionary<ResourceKey, ApplyOutcome> outcomes,
        string? revision,
        CancellationToken ct)
    {
        var members = carried.ToDictionary(m => m.Key);
        foreach (var d in decisions)
        {
            members[d.Key] = MemberOf(d, outcomes.GetValueOrDefault(d.Key), stored.Members.GetValueOrDefault(d.Key));
        }

        var next = stored with { Revision = revision, Members = members };
        return next.SerializeMembers() == stored.SerializeMembers() && next.Revision == stored.Revision && next.Source == stored.Source && stored.ResourceVersion is not null
            ? next
            : await inventories.WriteAsync(target, next, ct);
    }

    private static InventoryMember MemberOf(Decision d, ApplyOutcome? outcome, InventoryMember? old)
    {
        var unknown = new InventoryMember(d.Key, d.Prepared.Desired.ApiVersion, "-", "-");
        if (SecretMasker.IsSecret(d.Key.Group, d.Key.Kind))
        {
            // No hashes for Secrets: the inventory is readable by anyone who reads ConfigMaps, and an
            // unsalted hash of a Secret is a dictionary attack away from its value.
            return unknown;
        }

        return (d, outcome) switch
        {
            (_, ApplyOutcome.Applied a) => new InventoryMember(d.Key, d.Prepared.Desired.ApiVersion, d.Prepared.AppliedHash, a.OwnedHash),
            (Decision.Unchanged { OwnedHash: { } owned }, _) => new InventoryMember(d.Key, d.Prepared.Desired.ApiVersion, d.Prepared.AppliedHash, owned),
            _ => old ?? unknown, // not written (yet): keep what we knew, so it stays tracked for prune
        };
    }
}
