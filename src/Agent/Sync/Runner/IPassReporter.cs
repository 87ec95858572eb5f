using GitOps.Agent.Git;

namespace GitOps.Agent.Sync;

/// <summary>Which pass a report is about: the target, where its manifests come from, and the commit when known.</summary>
internal sealed record PassContext(SyncTarget Target, GitSourceSpec Source, string? Commit);

/// <summary>
/// A place a pass's outcome is told: the commit's note, Events, metrics, logs (later, forge
/// statuses). Reporters are called in order; one that throws is logged by the runner and never
/// fails the pass or keeps the others from reporting.
/// </summary>
internal interface IPassReporter
{
    /// <summary>The revision is valid and the pass is about to write: "Progressing" is true now.</summary>
    Task ProgressingAsync(PassContext pass, CancellationToken ct);

    /// <summary>The pass ended: synced, failed, or (<paramref name="result"/> failed with that reason) cut off.</summary>
    /// <param name="infrastructure">The pass never judged the revision (cluster unreachable, cancelled, source down).</param>
    Task FinishedAsync(PassContext pass, SyncResult result, bool infrastructure, CancellationToken ct);
}
