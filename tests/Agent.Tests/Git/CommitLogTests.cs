using GitOps.Agent.Git;

namespace GitOps.Agent.Tests.Git;

/// <summary>The pages' history: read from the local clone only, with notes, whole messages and the files under the target's path.</summary>
public sealed class CommitLogTests : IDisposable
{
    private readonly RemoteRepository repo = new();
    private readonly TempFolder cache = new();

    public void Dispose()
    {
        repo.Dispose();
        cache.Dispose();
    }

    [Fact]
    public async Task ReadAsync_NeverCloned_IsEmptyAndCreatesNothing()
    {
        var page = await new CommitLog(cache.Path).ReadAsync(Spec("prod"), 10, CommitPage.Empty, CancellationToken.None);

        Assert.Empty(page.Commits);
        Assert.Empty(Directory.EnumerateFileSystemEntries(cache.Path));
    }

    [Fact]
    public async Task ReadAsync_FetchedBranchWithNote_ListsCommitsNewestFirstWithEntriesMessagesAndFilesUnderThePath()
    {
        var first = repo.Write("prod/a.yaml", "a").Write("staging/a.yaml", "a").Commit("first");
        var second = repo.Write("prod/b.yaml", "b").Write("staging/b.yaml", "b").Commit("second <b>\n\nwhy it changed");
        await new GitSource(cache.Path).GetRevisionAsync(Spec("prod"), null, CancellationToken.None);
        await new GitNotesStatus(cache.Path).WriteAsync(Spec("prod"), second, StatusNoteTests.Entry("prod"), CancellationToken.None);
        var log = new CommitLog(cache.Path);

        var page = await log.ReadAsync(Spec("prod"), 10, CommitPage.Empty, CancellationToken.None);

        Assert.Equal([second, first], page.Commits.Select(c => c.Sha));
        var newest = page.Commits[0];
        Assert.Equal("second <b>", newest.Subject);
        Assert.Equal("second <b>\n\nwhy it changed\n", newest.Message);
        Assert.Equal(["prod/b.yaml"], newest.ChangedFiles);
        Assert.Equal("prod", Assert.Single(newest.Entries).Cluster);
        Assert.Empty(page.Commits[1].Entries);
        Assert.Equal(["prod/a.yaml"], page.Commits[1].ChangedFiles);
        Assert.Same(page, await log.ReadAsync(Spec("prod"), 10, page, CancellationToken.None)); // nothing moved: the same page
    }

    [Fact]
    public async Task ReadAsync_RemoteMovedButNotFetched_ShowsWhatTheCloneHasWithoutContactingIt()
    {
        var first = repo.Write("prod/a.yaml", "a").Commit("first");
        await new GitSource(cache.Path).GetRevisionAsync(Spec("prod"), null, CancellationToken.None);
        repo.Write("prod/a.yaml", "b").Commit("not fetched yet");
        Directory.Move(repo.BarePath, repo.BarePath + ".gone"); // any contact with the remote would fail

        var page = await new CommitLog(cache.Path).ReadAsync(Spec("prod"), 10, CommitPage.Empty, CancellationToken.None);

        Assert.Equal([first], page.Commits.Select(c => c.Sha));
        Directory.Move(repo.BarePath + ".gone", repo.BarePath);
    }

    [Fact]
    public async Task ReadAsync_Count_BoundsTheHistory()
    {
        for (var i = 0; i < 5; i++)
        {
            repo.Write("prod/a.yaml", $"{i}").Commit($"c{i}");
        }

        await new GitSource(cache.Path).GetRevisionAsync(Spec("prod"), null, CancellationToken.None);

        var page = await new CommitLog(cache.Path).ReadAsync(Spec("prod"), 3, CommitPage.Empty, CancellationToken.None);

        Assert.Equal(["c4", "c3", "c2"], page.Commits.Select(c => c.Subject));
    }

    [Fact]
    public async Task ReadAsync_ForATarget_KeepsOnlyItsEntriesOfEveryCluster()
    {
        var sha = repo.Write("prod/a.yaml", "a").Commit("one");
        await new GitSource(cache.Path).GetRevisionAsync(Spec("prod"), null, CancellationToken.None);
        var notes = new GitNotesStatus(cache.Path);
        await notes.WriteAsync(Spec("prod"), sha, StatusNoteTests.Entry("prod", "django"), CancellationToken.None);
        await notes.WriteAsync(Spec("prod"), sha, StatusNoteTests.Entry("staging", "django"), CancellationToken.None);
        await notes.WriteAsync(Spec("prod"), sha, StatusNoteTests.Entry("prod", "other"), CancellationToken.None);

        var mine = await new CommitLog(cache.Path).ReadAsync(Spec("prod"), 10, CommitPage.Empty, CancellationToken.None, target: "django");
        var all = await new CommitLog(cache.Path).ReadAsync(Spec("prod"), 10, CommitPage.Empty, CancellationToken.None);

        Assert.Equal(["prod/django", "staging/django"], Assert.Single(mine.Commits).Entries.Select(e => $"{e.Cluster}/{e.Target}").Order(StringComparer.Ordinal));
        Assert.Equal(3, Assert.Single(all.Commits).Entries.Count);
    }

    private GitSourceSpec Spec(string path) => new(repo.BarePath, "main", path);
}
