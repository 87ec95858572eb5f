using System.Collections.Immutable;
using GitOps.Agent.Git;
using GitOps.Agent.Sync;
using GitOps.Diff.Drift;
using GitOps.Diff.Health;
using GitOps.Diff.Identity;

namespace GitOps.Agent.Hosting.Web;

/// <summary>Where a target stands in the pages: no pass yet, a pass writing, or the last pass's verdict.</summary>
internal enum TargetPhase
{
    Pending,
    Progressing,
    Synced,
    Failed,
}

/// <summary>
/// One object of a pass as the pages show it: identity, action, health and why, and the paths
/// of the fields that moved — never field values, so no Secret data can reach a page.
/// </summary>
internal sealed record ObjectView(ResourceKey Key, SyncAction Action, HealthStatus Health, string? HealthReason, string? Message, IReadOnlyList<string> ChangedPaths)
{
    /// <summary>Its sync wave in the revision; null when the revision does not have it (pruned).</summary>
    public int? Wave { get; init; }
}

/// <summary>The outcome of one pass at one commit.</summary>
internal sealed record PassView(string Commit, TargetPhase Phase, HealthStatus Health, string Message, DateTimeOffset Time, IReadOnlyList<ObjectView> Objects)
{
    /// <summary>The objects the pass changed or could not change (everything but unchanged).</summary>
    public IEnumerable<ObjectView> Changed => Objects.Where(o => o.Action != SyncAction.Unchanged);

    /// <summary>Some object had fields that moved.</summary>
    public bool HasDrift => Objects.Any(o => o.ChangedPaths.Count > 0);

    /// <summary>The revision's hooks: phase, outcome and why (messages already free of Secret values).</summary>
    public IReadOnlyList<HookResult> Hooks { get; init; } = [];
}

/// <summary>
/// Everything the pages know about one target, as one immutable value: a new pass makes a new
/// value, so a page renders from a consistent state without holding any lock.
/// </summary>
/// <param name="Repository">The repository URL without credentials.</param>
/// <param name="LiveCommit">The commit the cluster is at (the last one applied in full), when known.</param>
/// <param name="LastPass">The last pass that ended, with its objects.</param>
/// <param name="LastDrift">The last pass that found fields to move (a later no-op pass does not hide it).</param>
/// <param name="Passes">Per commit the pass that applied it (the first Synced one, else the last), newest first, a few commits deep: the commit pages' "what it did".</param>
/// <param name="History">The branch's last commits with their notes, from the local clone.</param>
internal sealed record TargetView(
    string Name,
    string Repository,
    string Branch,
    string Path,
    TargetPhase Phase,
    string? LiveCommit,
    PassView? LastPass,
    PassView? LastDrift,
    ImmutableList<PassView> Passes,
    CommitPage History)
{
    public HealthStatus Health => LastPass?.Health ?? HealthStatus.Unknown;

    public DateTimeOffset? LastSync => LastPass?.Time;

    /// <summary>Why the last pass failed; null when it did not.</summary>
    public string? LastError => LastPass is { Phase: TargetPhase.Failed } p ? p.Message : null;

    /// <summary>Failed, or judged and not Healthy: what the "problems" filter shows.</summary>
    public bool HasProblem => Phase == TargetPhase.Failed || (LastPass is not null && Health is HealthStatus.Degraded or HealthStatus.Progressing);

    public static TargetView Of(TargetConfig target) =>
        new(target.Name, UrlRedactor.Redact(target.Repository), target.Branch, target.Path, TargetPhase.Pending, null, null, null, [], CommitPage.Empty);

    /// <summary>
    /// The release the cluster last got: the pass that applied the last pass's commit (its first
    /// Synced one, kept for the commit page), so a later no-op pass, whose hooks do not run, does
    /// not hide how they ran; the last pass itself when none is kept.
    /// </summary>
    public PassView? LastRelease => LastPass is { } last ? PassAt(last.Commit) ?? last : null;

    public PassView? PassAt(string commit) => Passes.FirstOrDefault(p => string.Equals(p.Commit, commit, StringComparison.Ordinal));

    public CommitRecord? CommitAt(string sha) => History.Commits.FirstOrDefault(c => c.Sha.StartsWith(sha, StringComparison.Ordinal));
}
