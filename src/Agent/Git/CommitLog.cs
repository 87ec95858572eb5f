using LibGit2Sharp;

namespace GitOps.Agent.Git;

/// <summary>A commit of a branch as the local clone knows it: its whole message, its status entries, and the files it changed.</summary>
/// <param name="ChangedFiles">Paths under the target's folder that differ from the first parent (the whole tree for a root commit), at most <see cref="CommitLog.MaxFiles"/>.</param>
/// <param name="MoreFiles">How many changed paths were left out of <paramref name="ChangedFiles"/>.</param>
public sealed record CommitRecord(
    string Sha,
    string Subject,
    string Message,
    string Author,
    DateTimeOffset Time,
    IReadOnlyList<CommitStatusEntry> Entries,
    IReadOnlyList<string> ChangedFiles,
    int MoreFiles);

/// <summary>The last commits of a branch and the two refs they were read at (a later read at the same refs would give the same page).</summary>
public sealed record CommitPage(string? BranchTip, string? NotesTip, IReadOnlyList<CommitRecord> Commits)
{
    public static CommitPage Empty { get; } = new(null, null, []);
}

/// <summary>
/// Reads commit history and status notes from the bare clone that <see cref="GitSource"/> fetches
/// and <see cref="GitNotesStatus"/> writes, without contacting the remote: what the agent's pages
/// show costs a few local reads, never a fetch.
/// </summary>
internal sealed class CommitLog(string cacheDirectory, GitOptions? options = null)
{
    /// <summary>Changed paths listed per commit; the rest are counted.</summary>
    public const int MaxFiles = 200;

    private readonly RepositoryCache cache = new(cacheDirectory, options ?? GitOptions.Default);

    /// <summary>
    /// The last <paramref name="count"/> commits of the source's branch, newest first. Returns
    /// <paramref name="previous"/> itself when neither the branch nor the notes ref moved; commits
    /// already in it keep their (immutable) file lists.
    /// </summary>
    /// <param name="target">Keep only this target's entries (every cluster's); null: all. A note on a
    /// commit of 1,000 targets holds 1,000 entries, and 1,000 targets' pages holding all of them was
    /// a million entries (400 MB) at rest.</param>
    public Task<CommitPage> ReadAsync(GitSourceSpec source, int count, CommitPage previous, CancellationToken ct, string? target = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (!Directory.Exists(cache.FolderFor(source.Repository)))
        {
            return Task.FromResult(CommitPage.Empty); // never cloned yet: nothing to show, and nothing to create
        }

        return cache.UseAsync(source, (repo, _) => Read(repo, source, count, previous, target), ct);
    }

    private static CommitPage Read(Repository repo, GitSourceSpec source, int count, CommitPage previous, string? target)
    {
        var branchRef = source.Reference.StartsWith("refs/", StringComparison.Ordinal) ? source.Reference : $"refs/heads/{source.Reference}";
        var tip = repo.Refs[branchRef]?.ResolveToDirectReference()?.TargetIdentifier;
        var notesTip = repo.Refs[GitNotesStatus.NotesRef]?.ResolveToDirectReference()?.TargetIdentifier;
        if (tip is null)
        {
            return CommitPage.Empty;
        }

        if (tip == previous.BranchTip && notesTip == previous.NotesTip)
        {
            return previous;
        }

        var known = previous.Commits.ToDictionary(c => c.Sha, StringComparer.Ordinal);
        var prefix = Prefix(source.Path);
        var filter = new CommitFilter { IncludeReachableFrom = branchRef, SortBy = CommitSortStrategies.Topological | CommitSortStrategies.Time };
        var commits = repo.Commits.QueryBy(filter).Take(count).Select(c =>
        {
            var all = StatusNote.Parse(repo.Notes["gitops", c.Id]?.Message);
            IReadOnlyList<CommitStatusEntry> entries = target is null ? all : all.Where(e => e.Target == target).ToList();
            if (known.TryGetValue(c.Sha, out var old))
            {
                return old with { Entries = entries };
            }

            var (files, more) = Changed(repo, c, prefix);
            return new CommitRecord(c.Sha, c.MessageShort, c.Message, c.Author.Name, c.Committer.When, entries, files, more);
        }).ToList();
        return new CommitPage(tip, notesTip, commits);
    }

    private static (IReadOnlyList<string> Files, int More) Changed(Repository repo, Commit commit, string prefix)
    {
        var parent = commit.Parents.FirstOrDefault();
        var changes = repo.Diff.Compare<TreeChanges>(parent?.Tree, commit.Tree);
        var paths = changes.Select(c => c.Path).Where(p => prefix.Length == 0 || p.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        return (paths.Take(MaxFiles).ToList(), Math.Max(0, paths.Count - MaxFiles));
    }

    private static string Prefix(string path)
    {
        var trimmed = path.Trim('/');
        return trimmed is "" or "." ? string.Empty : trimmed + "/";
    }
}
