using GitOps.Diff.Drift;
using GitOps.Diff.Health;
using GitOps.Diff.Identity;

namespace GitOps.Agent.Sync;

internal enum SyncPhase
{
    Synced,
    Failed,
}

/// <summary>One object's outcome in a pass; <see cref="Message"/> never holds a Secret value.</summary>
internal sealed record ObjectResult(ResourceKey Key, SyncAction Action, HealthStatus Health, string? Message = null)
{
    public IReadOnlyList<FieldChange> Changes { get; init; } = [];

    /// <summary>Why the object has its health, in a sentence (already redacted of Secret values); null when not judged.</summary>
    public string? HealthReason { get; init; }

    /// <summary>Its sync wave in the revision; null for an object the revision no longer has (pruned, or kept).</summary>
    public int? Wave { get; init; }
}

/// <summary>The outcome of one pass (or of a diff): the contract of <c>-o json</c>.</summary>
internal sealed record SyncResult(string Revision, string Target, SyncPhase Phase, HealthStatus Health, string Message, IReadOnlyList<ObjectResult> Objects)
{
    /// <summary>The revision's hooks: each with its phase and how it ended (or why it did not run).</summary>
    public IReadOnlyList<HookResult> Hooks { get; init; } = [];

    /// <summary>The failure was the input's (a manifest error), not the cluster's: exit code 2.</summary>
    public bool InputError { get; init; }

    /// <summary>The API server could not be reached: nothing can be told to it either (no Event).</summary>
    public bool ClusterUnreachable { get; init; }

    /// <summary>The revision the cluster is at after the pass: this one, or on failure the last one applied in full.</summary>
    public string? ClusterRevision { get; init; }

    /// <summary>
    /// The pass was cut off (cancelled, server gone) after it may have written: how far it got is
    /// not known, so the cluster is not said to stay where it was.
    /// </summary>
    public bool Interrupted { get; init; }

    /// <summary>The earlier result of this revision, reported again with the health a later no-op pass saw (<see cref="HealthFollowUp"/>).</summary>
    public bool HealthUpdate { get; init; }

    /// <summary>What a status note says beyond phase and counts: for a failure, why, and where the cluster stays.</summary>
    public string? StatusMessage => Phase != SyncPhase.Failed ? null
        : Interrupted ? $"{Message} (what it applied stays: the cluster may be partly at {Revisions.Short(Revision)})"
        : $"{Message} (the cluster stays at {(ClusterRevision is { Length: > 0 } r ? Revisions.Short(r) : "its previous state")})";

    /// <summary>How many objects ended in each action.</summary>
    public IReadOnlyDictionary<SyncAction, int> Counts =>
        Objects.GroupBy(o => o.Action).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>Something was (or would be) changed; a prune held back by a guard is not a change.</summary>
    public bool HasDrift => Objects.Any(o => o.Action is not (SyncAction.Unchanged or SyncAction.PruneSkipped));

    /// <summary>A failed pass that never got to judge the revision (unreachable cluster, cancelled, source error).</summary>
    public static SyncResult Failure(string revision, string target, string message, string? clusterRevision = null) =>
        new(revision, target, SyncPhase.Failed, HealthStatus.Unknown, message, []) { ClusterRevision = clusterRevision };
}
