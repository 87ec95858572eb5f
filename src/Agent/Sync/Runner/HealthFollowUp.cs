using GitOps.Diff.Drift;

namespace GitOps.Agent.Sync;

/// <summary>
/// A pass run only because the members of a Synced but not yet Healthy revision changed status
/// (a rollout finishing after a pass without a timeout). When that pass wrote nothing (same
/// revision, no drift, no hook ran), it reports the earlier result with the health it saw: the
/// note, Event and status of the revision say Healthy, with the counts and hooks of the pass that
/// applied it. When it found drift, it was a self-heal pass like any other and is reported as one.
/// </summary>
internal static class HealthFollowUp
{
    public static SyncResult Merge(SyncResult? previous, SyncResult now)
    {
        if (previous is null || !WroteNothingSince(previous, now))
        {
            return now;
        }

        var seen = now.Objects.ToDictionary(o => o.Key);
        var objects = previous.Objects.Select(o => seen.TryGetValue(o.Key, out var n) && o.Action is not (SyncAction.Pruned or SyncAction.Failed)
            ? o with { Health = n.Health, HealthReason = n.HealthReason }
            : o).ToList();
        return previous with { Health = now.Health, Objects = objects, HealthUpdate = true };
    }

    /// <summary>
    /// What a later follow-up merges into, once <paramref name="now"/> is done: the pass that
    /// applied the revision, not a no-op pass that ran after it (a watch event, a resync) and
    /// wrote nothing: the note keeps the release's counts and hooks whichever pass sees Healthy.
    /// </summary>
    public static SyncResult ReleaseOf(SyncResult? release, SyncResult now) =>
        release is not null && WroteNothingSince(release, now) ? release : now;

    private static bool WroteNothingSince(SyncResult previous, SyncResult now) =>
        previous.Revision == now.Revision && previous.Phase == SyncPhase.Synced && now.Phase == SyncPhase.Synced
        && !now.HasDrift && now.Hooks.All(h => h.Outcome == HookOutcome.Skipped);
}
