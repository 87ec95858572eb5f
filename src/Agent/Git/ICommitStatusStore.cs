namespace GitOps.Agent.Git;

/// <summary>Keeps each commit's sync outcome next to the commit, where <c>git log</c> readers find it.</summary>
public interface ICommitStatusStore
{
    /// <summary>
    /// Records <paramref name="entry"/> on the commit, replacing only the entry of the same
    /// (cluster, target): other agents' entries on that commit are kept. Concurrent writers are
    /// expected; a write that loses the race is re-based on the winner and retried.
    /// </summary>
    /// <exception cref="GitSourceException">The remote is unreachable, or kept rejecting the write.</exception>
    Task WriteAsync(GitSourceSpec repository, string commitSha, CommitStatusEntry entry, CancellationToken ct);

    /// <summary>
    /// True when writes take effect in the order <see cref="WriteAsync"/> was called, whether or not
    /// the caller awaited the earlier one: a later write of the same entry always wins. False (the
    /// default): a caller that needs an order awaits each write before starting the next.
    /// </summary>
    bool KeepsCallOrder => false;

    /// <summary>
    /// The last <paramref name="count"/> commits of <paramref name="branch"/>, newest first, each with
    /// its entries. Only <see cref="GitSourceSpec.Repository"/> and its credentials are used.
    /// </summary>
    Task<IReadOnlyList<CommitStatus>> ReadStatusAsync(GitSourceSpec repository, string branch, int count, CancellationToken ct);
}
