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
/// an update mirrors the remote's notes ref, replaces its own entry on top, and swaps the remote
/// ref from the commit it was based on to the new one (<see cref="GitRemote.CompareAndSwap"/>;
/// never a force push), then reads the ref back. Losing the race means another agent wrote first;
/// the update is then made again on top of theirs after a jittered exponential backoff, a bounded
/// number of times (<see cref="GitOptions.MaxPushAttempts"/>).
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

    /// <summary>
    /// Runs right before every push of every attempt: the agent's Lease fence throws there when this
    /// replica may no longer write (retries and their backoff can outlast a renew deadline); tests
    /// use it to lose a race on purpose.
    /// </summary>
    internal Action? BeforePush { get; set; }

    /// <summary>Runs right before every push with the targets whose entries it carries: with shards, each target's own Lease fences it.</summary>
    internal Action<IReadOnlyList<string>>? BeforePushFor { get; set; }

    /// <summary>Runs between a successful swap and reading the ref back; tests use it to lose the write after all.</summary>
    internal Action? AfterPush { get; set; }

    public Task WriteAsync(GitSourceSpec repository, string commitSha, CommitStatusEntry entry, CancellationToken ct) =>
        WriteManyAsync(repository, [(commitSha, entry)], ct);

    /// <summary>
    /// Several entries (of several commits) in one notes commit and one push, each replacing only
    /// the entry of its own (cluster, target); later entries of a list win over earlier ones of the
    /// same key. The same compare-and-swap and retries as <see cref="WriteAsync"/>.
    /// </summary>
    public async Task WriteManyAsync(GitSourceSpec repository, IReadOnlyList<(string CommitSha, CommitStatusEntry Entry)> entries, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(entries);
        var parsed = new List<(ObjectId Commit, CommitStatusEntry Entry)>(entries.Count);
        foreach (var (commitSha, entry) in entries)
        {
            ArgumentNullException.ThrowIfNull(entry);
            StatusNote.Validate(entry);
            parsed.Add(ObjectId.TryParse(commitSha, out var commit) ? (commit, entry) : throw new ArgumentException($"'{commitSha}' is not a full commit SHA", nameof(entries)));
        }

        string? refusal = null;
        for (var attempt = 1; attempt <= options.MaxPushAttempts; attempt++)
        {
            if (attempt > 1)
            {
                // Outside the clone's lock, so the source's fetches of this repository go on meanwhile.
                await Task.Delay(BackoffDelay(attempt - 1), time, ct);
            }

            var tried = attempt;
            refusal = await cache.UseAsync(repository, (repo, remote) => TryWrite(repo, remote, parsed, tried), ct);
            if (refusal is null)
            {
                return;
            }
        }

        var first = parsed.Count == 1 ? $"commit {parsed[0].Commit.ToString(7)}" : $"{parsed.Count} entries";
        throw new GitSourceException(
            $"status of {first} in {RepositoryLocation.Parse(repository.Repository)}: {NotesRef} was rejected {options.MaxPushAttempts} times ({refusal})");
    }

    public Task<IReadOnlyList<CommitStatus>> ReadStatusAsync(GitSourceSpec repository, string branch, int count, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentException.ThrowIfNullOrWhiteSpace(branch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return cache.UseAsync(repository, (repo, remote) => Read(repo, remote, branch, count), ct);
    }

    /// <summary>
    /// One attempt: our entry on top of the remote's current note, swapped in only if the remote
    /// still holds the notes commit ours is based on. Returns null when the remote's note holds the
    /// entry, else why not.
    /// </summary>
    private string? TryWrite(Repository repo, GitRemote remote, IReadOnlyList<(ObjectId Commit, CommitStatusEntry Entry)> entries, int attempt)
    {
        MirrorNotesRef(repo, remote, remote.ListReferences());
        var notes = new List<(ObjectId Commit, string Message)>();
        foreach (var group in entries.GroupBy(e => e.Commit))
        {
            var existing = repo.Notes[NotesNamespace, group.Key]?.Message;
            var updated = group.Aggregate(existing, (note, e) => StatusNote.Upsert(note, e.Entry));
            if (!string.Equals(existing, updated, StringComparison.Ordinal))
            {
                notes.Add((group.Key, updated!));
            }
        }

        if (notes.Count == 0)
        {
            return null;
        }

        // The parent of our notes commit is the remote's value, and the swap insists the remote
        // still holds exactly that: no write ever replaces history it did not include.
        var basis = NotesHead(repo);
        var written = CommitNotes(repo, notes, basis);
        BeforePush?.Invoke();
        BeforePushFor?.Invoke([.. entries.Select(e => e.Entry.Target).Distinct(StringComparer.Ordinal)]);
        var swap = remote.CompareAndSwap(NotesRef, basis, written);
        AfterPush?.Invoke();
        var refusal = swap.Updated ? Verify(repo, remote, written) : swap.Refusal;
        if (refusal is not null)
        {
            LogPushRejected(logger, remote.Location.Url, notes[0].Commit.Sha, attempt, refusal);
        }

        return refusal;
    }

    /// <summary>
    /// Reads the remote's notes ref back after the swap: ours, or a later commit with ours in its
    /// history (another agent already wrote on top), is success; anything else means the write was
    /// lost after all (a writer that does not swap pushed over it) and is made again.
    /// </summary>
    /// <remarks>
    /// History, not the note's text, decides: a later entry of the same cluster and target
    /// replacing ours is last-writer-wins, not a loss to undo.
    /// </remarks>
    private static string? Verify(Repository repo, GitRemote remote, ObjectId written)
    {
        var remoteRefs = remote.ListReferences();
        var now = remoteRefs.GetValueOrDefault(NotesRef)?.Sha;
        if (string.Equals(now, written.Sha, StringComparison.Ordinal))
        {
            return null;
        }

        MirrorNotesRef(repo, remote, remoteRefs);
        var head = NotesHead(repo);
        var ours = repo.Lookup<Commit>(written);
        return head is not null && repo.ObjectDatabase.FindMergeBase(ours, repo.Lookup<Commit>(head))?.Id == written
            ? null
            : $"{NotesRef} was pushed as {written.ToString(7)} but the remote now holds {now?[..7] ?? "(none)"}, which does not include it";
    }

    /// <summary>Writes the notes in one notes commit whose only parent is <paramref name="basis"/>.</summary>
    /// <remarks>
    /// LibGit2Sharp's <c>Notes.Add</c> first removes an existing note in a commit of its own; the
    /// two are folded into one, so the remote's value is the parent and history stays one commit
    /// per update.
    /// </remarks>
    private ObjectId CommitNotes(Repository repo, IReadOnlyList<(ObjectId Commit, string Message)> notes, ObjectId? basis)
    {
        var signature = Signature();
        foreach (var (commit, message) in notes)
        {
            repo.Notes.Add(commit, message, signature, signature, NotesNamespace);
        }

        var added = repo.Lookup<Commit>(NotesHead(repo));
        Commit[] parents = basis is null ? [] : [repo.Lookup<Commit>(basis)];
        var folded = repo.ObjectDatabase.CreateCommit(added.Author, added.Committer, added.Message, added.Tree, parents, prettifyMessage: false);
        repo.Refs.UpdateTarget(repo.Refs[NotesRef], folded.Id);
        return folded.Id;
    }

    private static ObjectId? NotesHead(Repository repo) =>
        repo.Refs[NotesRef]?.ResolveToDirectReference()?.TargetIdentifier is { } sha ? new ObjectId(sha) : null;

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
