using LibGit2Sharp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOps.Agent.Git;

/// <summary>
/// <see cref="ICommitStatusStore"/> on git notes under <c>refs/notes/gitops</c>, written in the bare
/// clone and pushed to the same remote, so <c>git log --notes=gitops</c> shows which commit is live
/// where. The note format is <see cref="StatusNote"/>'s.
/// </summary>
/// <remarks>
/// Agents of several clusters write notes on the same commits, so the notes ref is shared history:
/// an update mirrors the remote's notes ref, replaces its own entry on top, and pushes without
/// force. Losing the race (the push is not a fast-forward, or the server refuses it) means another
/// agent wrote first; the update is then made again on top of theirs, a bounded number of times.
/// </remarks>
public sealed partial class GitNotesStatus : ICommitStatusStore
{
    /// <summary>The notes ref, shared with every agent and with <c>git log --notes=gitops</c>.</summary>
    public const string NotesRef = "refs/notes/gitops";

    private const string NotesNamespace = "gitops";

    private readonly RepositoryCache cache;
    private readonly GitOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;

    /// <param name="cacheDirectory">Folder of the bare clones, the same one <see cref="GitSource"/> uses.</param>
    /// <param name="options">Push attempts and the committer identity; <see cref="GitOptions.Default"/> when null.</param>
    /// <param name="time">Clock of the notes commits.</param>
    /// <param name="logger">Where lost races are logged.</param>
    public GitNotesStatus(string cacheDirectory, GitOptions? options = null, TimeProvider? time = null, ILogger<GitNotesStatus>? logger = null)
    {
        this.options = options ?? GitOptions.Default;
        cache = new RepositoryCache(cacheDirectory, this.options);
        this.time = time ?? TimeProvider.System;
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Runs between writing the note locally and pushing it; tests use it to lose a race on purpose.</summary>
    internal Action? BeforePush { get; set; }

    public Task WriteAsync(GitSourceSpec repository, string commitSha, CommitStatusEntry entry, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(entry);
        StatusNote.Validate(entry);
        if (!ObjectId.TryParse(commitSha, out var commit))
        {
            throw new ArgumentException($"'{commitSha}' is not a full commit SHA", nameof(commitSha));
        }

        return cache.UseAsync(repository, (repo, remote) => Write(repo, remote, commit, entry, ct), ct);
    }

    public Task<IReadOnlyList<CommitStatus>> ReadStatusAsync(GitSourceSpec repository, string branch, int count, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentException.ThrowIfNullOrWhiteSpace(branch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return cache.UseAsync(repository, (repo, remote) => Read(repo, remote, branch, count), ct);
    }

    private bool Write(Repository repo, GitRemote remote, ObjectId commit, CommitStatusEntry entry, CancellationToken ct)
    {
        var rejections = new List<string>();
        for (var attempt = 1; attempt <= options.MaxPushAttempts; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            MirrorNotesRef(repo, remote, remote.ListReferences());
            var existing = repo.Notes[NotesNamespace, commit]?.Message;
            var updated = StatusNote.Upsert(existing, entry);
            if (string.Equals(existing, updated, StringComparison.Ordinal))
            {
                return false;
            }

            var signature = Signature();
            repo.Notes.Add(commit, updated, signature, signature, NotesNamespace);
            BeforePush?.Invoke();
            var rejected = remote.Push([$"{NotesRef}:{NotesRef}"]);
            if (rejected.Count == 0)
            {
                return true;
            }

            rejections.AddRange(rejected);
            LogPushRejected(logger, remote.Location.Url, commit.Sha, attempt, rejected[0]);
        }

        throw new GitSourceException(
            $"status of commit {commit.ToString(7)} in {remote.Location}: {NotesRef} was rejected {options.MaxPushAttempts} times ({rejections[^1]})");
    }

    private static IReadOnlyList<CommitStatus> Read(Repository repo, GitRemote remote, string branch, int count)
    {
        var branchRef = branch.StartsWith("refs/", StringComparison.Ordinal) ? branch : $"refs/heads/{branch}";
        var remoteRefs = remote.ListReferences();
        if (!remoteRefs.TryGetValue(branchRef, out var remoteBranch) || remoteBranch.Sha is null)
        {
            throw new GitSourceException($"repository {remote.Location}: branch '{branch}' not found");
        }

        if (!string.Equals(repo.Refs[branchRef]?.TargetIdentifier, remoteBranch.Sha, StringComparison.Ordinal))
        {
            remote.Fetch([$"+{branchRef}:{branchRef}"]);
        }

        MirrorNotesRef(repo, remote, remoteRefs);
        var filter = new CommitFilter { IncludeReachableFrom = branchRef, SortBy = CommitSortStrategies.Topological | CommitSortStrategies.Time };
        return repo.Commits.QueryBy(filter).Take(count)
            .Select(c => new CommitStatus(
                c.Sha,
                c.MessageShort,
                c.Author.Name,
                c.Committer.When,
                StatusNote.Parse(repo.Notes[NotesNamespace, c.Id]?.Message)))
            .ToList();
    }

    /// <summary>Makes the local notes ref equal the remote's: fetched when it differs, removed when the remote has none.</summary>
    private static void MirrorNotesRef(Repository repo, GitRemote remote, IReadOnlyDictionary<string, RemoteRef> remoteRefs)
    {
        var local = repo.Refs[NotesRef];
        if (!remoteRefs.TryGetValue(NotesRef, out var remoteNotes) || remoteNotes.Sha is null)
        {
            if (local is not null)
            {
                repo.Refs.Remove(local);
            }

            return;
        }

        if (!string.Equals(local?.TargetIdentifier, remoteNotes.Sha, StringComparison.Ordinal))
        {
            remote.Fetch([$"+{NotesRef}:{NotesRef}"]);
        }
    }

    private Signature Signature() => new(options.CommitterName, options.CommitterEmail, time.GetUtcNow());
}
