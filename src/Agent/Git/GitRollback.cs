using LibGit2Sharp;

namespace GitOps.Agent.Git;

/// <summary>
/// Rolls a branch back by adding one commit whose tree (or the tree of one path) equals an older
/// commit's: history is kept, the agent then syncs the old state like any other commit, and the
/// message says which commits were undone. Built in the bare clone from trees, without a work tree.
/// </summary>
public sealed class GitRollback
{
    /// <summary>Where the rollback commit is kept in the cache before (or without) pushing.</summary>
    public const string LocalRefPrefix = "refs/gitops/rollback/";

    private static readonly string[] AllBranchesAndTags = ["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"];

    private readonly RepositoryCache cache;
    private readonly GitOptions options;
    private readonly TimeProvider time;

    /// <param name="cacheDirectory">Folder of the bare clones, the same one <see cref="GitSource"/> uses.</param>
    /// <param name="options">Committer identity; <see cref="GitOptions.Default"/> when null.</param>
    /// <param name="time">Clock of the rollback commit.</param>
    public GitRollback(string cacheDirectory, GitOptions? options = null, TimeProvider? time = null)
    {
        this.options = options ?? GitOptions.Default;
        cache = new RepositoryCache(cacheDirectory, this.options);
        this.time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// Makes a commit on top of <paramref name="branch"/> whose tree of <paramref name="path"/> (all of
    /// it when null or empty) equals <paramref name="toSha"/>'s, and pushes it when asked. Only
    /// <see cref="GitSourceSpec.Repository"/> and its credentials are used from <paramref name="spec"/>.
    /// </summary>
    /// <exception cref="GitSourceException">
    /// The branch or commit is unknown, the commit is not in the branch's history, there is nothing
    /// to roll back, or the push was rejected because the branch moved meanwhile (nothing is retried:
    /// a rollback on top of new commits needs a person's look).
    /// </exception>
    public Task<RollbackResult> CreateAsync(GitSourceSpec spec, string branch, string toSha, string? path, bool push, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrWhiteSpace(branch);
        ArgumentException.ThrowIfNullOrWhiteSpace(toSha);
        var folder = TreeReader.NormalizePath(path);
        return cache.UseAsync(spec, (repo, remote) => Create(repo, remote, branch, toSha.Trim(), folder, push), ct);
    }

    private RollbackResult Create(Repository repo, GitRemote remote, string branch, string toSha, string path, bool push)
    {
        var branchRef = branch.StartsWith("refs/heads/", StringComparison.Ordinal) ? branch : $"refs/heads/{branch}";
        var remoteRefs = remote.ListReferences();
        if (!remoteRefs.TryGetValue(branchRef, out var remoteBranch) || remoteBranch.Sha is null)
        {
            throw new GitSourceException($"repository {remote.Location}: branch '{branch}' not found");
        }

        if (!string.Equals(repo.Refs[branchRef]?.TargetIdentifier, remoteBranch.Sha, StringComparison.Ordinal))
        {
            remote.Fetch([$"+{branchRef}:{branchRef}"]);
        }

        var head = repo.Lookup<Commit>(remoteBranch.Sha);
        var target = FindCommit(repo, remote, toSha);
        if (!target.Id.Equals(repo.ObjectDatabase.FindMergeBase(target, head)?.Id))
        {
            throw new GitSourceException($"repository {remote.Location}: commit {target.Sha[..7]} is not in the history of branch '{branch}'");
        }

        var tree = path.Length == 0 ? target.Tree : TreeWithPathFrom(repo, head, target, path);
        if (tree.Id.Equals(head.Tree.Id))
        {
            throw new GitSourceException($"nothing to roll back: {(path.Length == 0 ? "the tree" : path)} of branch '{branch}' already equals {target.Sha[..7]}");
        }

        var reverted = CommitsChanging(repo, head, target, path);
        var message = RollbackMessage.Format(target, reverted, path);
        var signature = new Signature(options.CommitterName, options.CommitterEmail, time.GetUtcNow());
        var commit = repo.ObjectDatabase.CreateCommit(signature, signature, message, tree, [head], prettifyMessage: true);
        var localRef = LocalRefPrefix + branchRef["refs/heads/".Length..];
        repo.Refs.Add(localRef, commit.Id, allowOverwrite: true);

        if (push)
        {
            var rejected = remote.Push([$"{localRef}:{branchRef}"]);
            if (rejected.Count > 0)
            {
                throw new GitSourceException(
                    $"rollback commit {commit.Sha[..7]} was not pushed to branch '{branch}' of {remote.Location}: {rejected[0]}; the branch moved, review and run the rollback again");
            }

            repo.Refs.Add(branchRef, commit.Id, allowOverwrite: true);
        }

        return new RollbackResult(commit.Sha, commit.Message, reverted.Select(c => c.Sha).ToList(), push);
    }

    private static Commit FindCommit(Repository repo, GitRemote remote, string sha)
    {
        if (repo.Lookup(sha) is Commit cached)
        {
            return cached;
        }

        remote.Fetch(AllBranchesAndTags);
        return repo.Lookup(sha) as Commit
            ?? throw new GitSourceException($"repository {remote.Location}: commit {sha} not found");
    }

    /// <summary>The head's tree with the entry at <paramref name="path"/> taken from the target (or removed, if the target had none).</summary>
    private static Tree TreeWithPathFrom(Repository repo, Commit head, Commit target, string path)
    {
        var definition = TreeDefinition.From(head.Tree);
        if (target[path] is { } entry)
        {
            definition.Add(path, entry);
        }
        else
        {
            definition.Remove(path);
        }

        return repo.ObjectDatabase.CreateTree(definition);
    }

    /// <summary>Commits after the target up to the head that changed the path (every one when the path is the root), newest first.</summary>
    private static List<Commit> CommitsChanging(Repository repo, Commit head, Commit target, string path)
    {
        var range = repo.Commits.QueryBy(new CommitFilter
        {
            IncludeReachableFrom = head,
            ExcludeReachableFrom = target,
            SortBy = CommitSortStrategies.Topological | CommitSortStrategies.Time,
        });
        return path.Length == 0
            ? range.ToList()
            : range.Where(c => !Equals(EntryId(c, path), c.Parents.FirstOrDefault() is { } parent ? EntryId(parent, path) : null)).ToList();
    }

    private static ObjectId? EntryId(Commit commit, string path) => commit[path]?.Target.Id;
}
