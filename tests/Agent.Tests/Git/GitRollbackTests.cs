using System.Runtime.Versioning;
using GitOps.Agent.Git;

namespace GitOps.Agent.Tests.Git;

public sealed class GitRollbackTests : IDisposable
{
    private readonly RemoteRepository repo = new();

    public void Dispose() => repo.Dispose();

    [Fact]
    public async Task Create_WholeTree_PushesOneCommitWithTheOldTreeNamingRevertedCommits()
    {
        var c1 = repo.Write("deploy/a.yaml", "v1").Commit("first");
        var c2 = repo.Write("deploy/a.yaml", "v2").Commit("second");
        var c3 = repo.Write("deploy/a.yaml", "v3").Write("deploy/b.yaml", "new").Commit("third");

        var result = await Rollback().CreateAsync(Spec(), "main", c1, null, push: true, CancellationToken.None);

        Assert.True(result.Pushed);
        Assert.Equal([c3, c2], result.RevertedCommits);
        Assert.Equal(result.CommitSha, repo.RemoteGit("rev-parse", "main"));
        Assert.Equal(c3, repo.RemoteGit("rev-parse", "main^"));
        Assert.Equal(repo.RemoteGit("rev-parse", $"{c1}^{{tree}}"), repo.RemoteGit("rev-parse", "main^{tree}"));
        Assert.Equal($"Revert to {c1[..7]}: reverts {c3[..7]}, {c2[..7]}", repo.RemoteGit("log", "-1", "--format=%s", "main"));
        var body = repo.RemoteGit("log", "-1", "--format=%b", "main");
        Assert.Contains($"  {c3} third", body, StringComparison.Ordinal);
        Assert.Contains($"  {c2} second", body, StringComparison.Ordinal);
        Assert.Contains("Restores the whole tree", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_Path_RestoresOnlyThatPathAndNamesCommitsThatTouchedIt()
    {
        var c1 = repo.Write("deploy/a.yaml", "v1").Write("other/x.yaml", "x1").Commit("first");
        var c2 = repo.Write("deploy/a.yaml", "v2").Commit("deploy change");
        repo.Write("other/x.yaml", "x2").Commit("other change");
        var c4 = repo.Write("deploy/sub/new.yaml", "added").Commit("deploy addition");

        var result = await Rollback().CreateAsync(Spec(), "main", c1, "deploy/", push: true, CancellationToken.None);

        Assert.Equal([c4, c2], result.RevertedCommits);
        Assert.Equal(repo.RemoteGit("rev-parse", $"{c1}:deploy"), repo.RemoteGit("rev-parse", "main:deploy"));
        Assert.Equal("x2", repo.RemoteGit("show", "main:other/x.yaml"));
        Assert.Contains("Restores deploy to", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_PathAbsentAtTarget_RemovesIt()
    {
        var c1 = repo.Write("keep.yaml", "k").Commit("first");
        repo.Write("deploy/a.yaml", "a").Commit("add deploy");

        await Rollback().CreateAsync(Spec(), "main", c1, "deploy", push: true, CancellationToken.None);

        Assert.Equal("keep.yaml", repo.RemoteGit("ls-tree", "--name-only", "main"));
    }

    [Fact]
    public async Task Create_WithoutPush_LeavesTheRemoteAlone()
    {
        var c1 = repo.Write("a.yaml", "v1").Commit("first");
        var c2 = repo.Write("a.yaml", "v2").Commit("second");

        var result = await Rollback().CreateAsync(Spec(), "main", c1[..10], null, push: false, CancellationToken.None);

        Assert.False(result.Pushed);
        Assert.Equal(c2, repo.RemoteGit("rev-parse", "main"));
        var cache = Directory.EnumerateDirectories(repo.CachePath).Single();
        Assert.Equal(result.CommitSha, GitCli.Run(cache, "rev-parse", GitRollback.LocalRefPrefix + "main"));
    }

    [Fact]
    public async Task Create_TargetNotInBranchHistory_Fails()
    {
        repo.Write("a.yaml", "v1").Commit("first");
        var elsewhere = repo.Write("a.yaml", "other").Commit("on a side branch", branch: "side");
        GitCli.Run(repo.WorkPath, "reset", "--quiet", "--hard", "HEAD^");
        repo.Write("a.yaml", "v2").Commit("second");

        var ex = await Assert.ThrowsAsync<GitSourceException>(() => Rollback().CreateAsync(Spec(), "main", elsewhere, null, push: true, CancellationToken.None));

        Assert.Contains("not in the history of branch 'main'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_AlreadyAtTarget_FailsWithNothingToRollBack()
    {
        var c1 = repo.Write("deploy/a.yaml", "v1").Commit("first");
        repo.Write("other.yaml", "o").Commit("unrelated");

        var ex = await Assert.ThrowsAsync<GitSourceException>(() => Rollback().CreateAsync(Spec(), "main", c1, "deploy", push: true, CancellationToken.None));

        Assert.Contains("nothing to roll back", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_UnknownCommit_Fails()
    {
        repo.Write("a.yaml", "v1").Commit("first");

        var ex = await Assert.ThrowsAsync<GitSourceException>(() => Rollback().CreateAsync(Spec(), "main", "0123456789abcdef0123456789abcdef01234567", null, push: true, CancellationToken.None));

        Assert.Contains("not found", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task Create_PushRejected_FailsWithoutMovingTheBranch()
    {
        var c1 = repo.Write("a.yaml", "v1").Commit("first");
        var c2 = repo.Write("a.yaml", "v2").Commit("second");
        FakeSsh.Hook(repo.BarePath, "pre-receive", "echo protected >&2\nexit 1");
        var rollback = new GitRollback(repo.CachePath, new GitOptions { SshCommand = FakeSsh.Create(repo.TempPath) });

        var ex = await Assert.ThrowsAsync<GitSourceException>(() => rollback.CreateAsync(new GitSourceSpec(FakeSsh.UrlOf(repo.BarePath), "main", string.Empty), "main", c1, null, push: true, CancellationToken.None));

        Assert.Contains("was not pushed to branch 'main'", ex.Message, StringComparison.Ordinal);
        Assert.Equal(c2, repo.RemoteGit("rev-parse", "main"));
    }

    private GitRollback Rollback() => new(repo.CachePath);

    private GitSourceSpec Spec() => new(repo.BarePath, "main", string.Empty);
}
