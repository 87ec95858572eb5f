namespace GitOps.Diff.Drift;

/// <summary>What a pass did (or would do) to one object: a small, closed vocabulary.</summary>
public enum SyncAction
{
    Unchanged,
    Created,
    Configured,
    Pruned,
    PruneSkipped,
    Failed,

    /// <summary>Planned, but the pass stopped before it was written (an earlier stage failed).</summary>
    NotApplied,

    /// <summary>It existed without being a member of the target, and the target took it (allowed by <c>adopt</c>).</summary>
    Adopted,
}

public static class SyncActionText
{
    /// <summary>The spelling of the JSON contract: created, configured, unchanged, pruned, prune-skipped, failed, not-applied, adopted.</summary>
    public static string ToContract(this SyncAction action) => action switch
    {
        SyncAction.PruneSkipped => "prune-skipped",
        SyncAction.NotApplied => "not-applied",
        _ => action.ToString().ToLowerInvariant(),
    };
}
