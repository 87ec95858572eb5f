using GitOps.Agent.Git;

namespace GitOps.Agent.Tests.Git;

/// <summary>
/// An <see cref="ICommitStatusStore"/> in memory with the real one's rule (one entry per cluster
/// and target on a commit), for tests of the stages that report. Branch history is given by
/// <see cref="Branches"/>, newest commit first.
/// </summary>
internal sealed class FakeCommitStatusStore : ICommitStatusStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, string> notes = new(StringComparer.Ordinal);

    public Dictionary<string, List<string>> Branches { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<CommitStatusEntry> EntriesOf(string commitSha)
    {
        lock (gate)
        {
            return StatusNote.Parse(notes.GetValueOrDefault(commitSha));
        }
    }

    public Task WriteAsync(GitSourceSpec repository, string commitSha, CommitStatusEntry entry, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        StatusNote.Validate(entry);
        lock (gate)
        {
            notes[commitSha] = StatusNote.Upsert(notes.GetValueOrDefault(commitSha), entry);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CommitStatus>> ReadStatusAsync(GitSourceSpec repository, string branch, int count, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (!Branches.TryGetValue(branch, out var commits))
        {
            return Task.FromException<IReadOnlyList<CommitStatus>>(new GitSourceException($"repository {repository.Repository}: branch '{branch}' not found"));
        }

        IReadOnlyList<CommitStatus> statuses = commits.Take(count)
            .Select(sha => new CommitStatus(sha, string.Empty, string.Empty, DateTimeOffset.UnixEpoch, EntriesOf(sha)))
            .ToList();
        return Task.FromResult(statuses);
    }
}
