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
}

public static class SyncActionText
{
    /// <summary>The spelling of the JSON contract: created, configured, unchanged, pruned, prune-skipped, failed.</summary>
    public static string ToContract(this SyncAction action) => action switch
    {
        SyncAction.PruneSkipped => "prune-skipped",
        _ => action.ToString().ToLowerInvariant(),
    };
}
