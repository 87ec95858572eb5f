using System.Collections.Concurrent;
using GitOps.Agent.Git;

namespace GitOps.Agent.Tests.Git;

/// <summary>
/// An <see cref="IGitSource"/> in memory, for tests of the stages after Source: revisions are added
/// by reference (branch, tag or SHA) and every request is recorded.
/// </summary>
internal sealed class FakeGitSource : IGitSource
{
    private readonly ConcurrentDictionary<string, SourceRevision> revisions = new(StringComparer.Ordinal);

    public ConcurrentQueue<(GitSourceSpec Spec, string? Revision)> Requests { get; } = new();

    /// <summary>Makes <paramref name="reference"/> and the revision's SHA resolve to it.</summary>
    public FakeGitSource Add(string reference, SourceRevision revision)
    {
        revisions[reference] = revision;
        revisions[revision.CommitSha] = revision;
        return this;
    }

    public Task<SourceRevision> GetRevisionAsync(GitSourceSpec spec, string? revision, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        Requests.Enqueue((spec, revision));
        var wanted = revision ?? spec.Reference;
        return revisions.TryGetValue(wanted, out var found)
            ? Task.FromResult(found)
            : Task.FromException<SourceRevision>(new GitSourceException($"repository {spec.Repository}: reference '{wanted}' not found (no such branch or tag)"));
    }

    public Task<string?> HeadAsync(GitSourceSpec spec, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        Requests.Enqueue((spec, null));
        return Task.FromResult(revisions.GetValueOrDefault(spec.Reference)?.CommitSha);
    }
}
