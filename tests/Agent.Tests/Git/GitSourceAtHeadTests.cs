using System.Text;
using GitOps.Agent.Git;

namespace GitOps.Agent.Tests.Git;

/// <summary>
/// Reads at a head an ls-remote just found (the agent's shared look at a branch): many targets of
/// one branch cost one fetch per commit together, and none of them asks the remote again.
/// </summary>
public sealed class GitSourceAtHeadTests : IDisposable
{
    private readonly RemoteRepository repo = new();

    public void Dispose() => repo.Dispose();

    [Fact]
    public async Task GetRevisionAt_ManyTargetsOfANewCommit_FetchOnceAndReadTheirOwnFolders()
    {
        for (var i = 0; i < 40; i++)
        {
            repo.Write($"t{i}/cm.yaml", $"v1-{i}");
        }

        var head = repo.Commit("forty targets");
        var source = new GitSource(repo.CachePath);

        var reads = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => source.GetRevisionAtAsync(Spec($"t{i}"), head, CancellationToken.None)));

        Assert.Equal(1, source.FetchCount);
        Assert.All(reads, r => Assert.Equal(head, r.CommitSha));
        Assert.All(reads, r => Assert.Equal("refs/heads/main", r.Reference));
        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"v1-{i}"), reads.Select(r => Encoding.UTF8.GetString(Assert.Single(r.Files).Content)));
    }

    [Fact]
    public async Task GetRevisionAt_KnownCommit_AsksTheRemoteNothing()
    {
        repo.Write("app/a.yaml", "v1").Commit("one");
        var source = new GitSource(repo.CachePath);
        var head = (await source.GetRevisionAsync(Spec("app"), null, CancellationToken.None)).CommitSha;
        Directory.Move(repo.BarePath, repo.BarePath + ".away"); // the remote is gone: any ls-remote or fetch would fail

        var read = await source.GetRevisionAtAsync(Spec("app"), head, CancellationToken.None);

        Assert.Equal(head, read.CommitSha);
        Assert.Equal("v1", Encoding.UTF8.GetString(Assert.Single(read.Files).Content));
        await Assert.ThrowsAsync<GitSourceException>(() => source.GetRevisionAsync(Spec("app"), null, CancellationToken.None)); // the ordinary read does ask
    }

    [Fact]
    public async Task GetRevisionAt_CommitNotFetchedYet_FetchesItOnce()
    {
        repo.Write("app/a.yaml", "v1").Commit("one");
        var source = new GitSource(repo.CachePath);
        await source.GetRevisionAsync(Spec("app"), null, CancellationToken.None);
        var second = repo.Write("app/a.yaml", "v2").Commit("two");

        var first = await source.GetRevisionAtAsync(Spec("app"), second, CancellationToken.None);
        var again = await source.GetRevisionAtAsync(Spec("app"), second, CancellationToken.None);

        Assert.Equal(2, source.FetchCount);
        Assert.Equal(second, first.CommitSha);
        Assert.Equal(second, again.CommitSha);
        Assert.Equal("v2", Encoding.UTF8.GetString(Assert.Single(again.Files).Content));
    }

    [Fact]
    public async Task GetRevisionAt_MissingFolder_FailsForThatTargetOnly()
    {
        repo.Write("app/a.yaml", "v1").Commit("one");
        var head = repo.RemoteGit("rev-parse", "main").Trim();
        var source = new GitSource(repo.CachePath);

        var missing = source.GetRevisionAtAsync(Spec("gone"), head, CancellationToken.None);
        var present = source.GetRevisionAtAsync(Spec("app"), head, CancellationToken.None);

        var ex = await Assert.ThrowsAsync<GitSourceException>(() => missing);
        Assert.Contains("gone", ex.Message, StringComparison.Ordinal);
        Assert.Equal(head, ex.CommitSha);
        Assert.Equal(head, (await present).CommitSha);
    }

    private GitSourceSpec Spec(string path) => new(repo.BarePath, "main", path);
}
