using System.Runtime.Versioning;
using System.Text;
using GitOps.Agent.Git;

namespace GitOps.Agent.Tests.Git;

public sealed class GitSourceTests : IDisposable
{
    private readonly RemoteRepository repo = new();

    public void Dispose() => repo.Dispose();

    [Fact]
    public async Task GetRevision_Branch_ReadsManifestsUnderPathSortedWithRepositoryPaths()
    {
        var sha = repo
            .Write("deploy/b.yaml", "kind: B\n")
            .Write("deploy/a.yml", "kind: A\n")
            .Write("deploy/nested/deeper/c.json", "{\"kind\":\"C\"}")
            .Write("deploy/README.md", "not a manifest")
            .Write("deploy/script.sh", "echo")
            .Write("deploy/upper.YAML", "kubectl skips this too")
            .Write("other/d.yaml", "kind: D\n")
            .Commit("first");

        var revision = await Source().GetRevisionAsync(Spec("main", "deploy"), null, CancellationToken.None);

        Assert.Equal(sha, revision.CommitSha);
        Assert.Equal("refs/heads/main", revision.Reference);
        Assert.Equal("first\n", revision.Message);
        Assert.Equal(["deploy/a.yml", "deploy/b.yaml", "deploy/nested/deeper/c.json"], revision.Files.Select(f => f.Path));
        Assert.Equal("kind: A\n", Encoding.UTF8.GetString(revision.Files[0].Content));
        Assert.Equal("{\"kind\":\"C\"}", Encoding.UTF8.GetString(revision.Files[2].Content));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("/")]
    public async Task GetRevision_RootPath_ReadsWholeRepository(string path)
    {
        repo.Write("a.yaml", "a").Write("sub/b.yaml", "b").Commit("first");

        var revision = await Source().GetRevisionAsync(Spec("main", path), null, CancellationToken.None);

        Assert.Equal(["a.yaml", "sub/b.yaml"], revision.Files.Select(f => f.Path));
    }

    [Fact]
    public async Task GetRevision_UnchangedBranch_FetchesOnlyWhenTheRemoteMoved()
    {
        repo.Write("app/a.yaml", "v1").Commit("one");
        var source = Source();

        var first = await source.GetRevisionAsync(Spec("main", "app"), null, CancellationToken.None);
        Assert.Equal(1, source.FetchCount);

        var again = await source.GetRevisionAsync(Spec("main", "app"), null, CancellationToken.None);
        Assert.Equal(1, source.FetchCount);
        Assert.Equal(first.CommitSha, again.CommitSha);

        var second = repo.Write("app/a.yaml", "v2").Commit("two");
        var moved = await source.GetRevisionAsync(Spec("main", "app"), null, CancellationToken.None);
        Assert.Equal(2, source.FetchCount);
        Assert.Equal(second, moved.CommitSha);
        Assert.Equal("v2", Encoding.UTF8.GetString(moved.Files[0].Content));
    }

    [Fact]
    public async Task GetRevision_SecondSourceOverSameCache_ReusesTheClone()
    {
        repo.Write("a.yaml", "a").Commit("one");
        await Source().GetRevisionAsync(Spec("main", ""), null, CancellationToken.None);

        var restarted = Source();
        await restarted.GetRevisionAsync(Spec("main", ""), null, CancellationToken.None);

        Assert.Equal(0, restarted.FetchCount);
    }

    [Fact]
    public async Task GetRevision_RevisionSha_OverridesReferenceAndNeedsNoFetchWhenCached()
    {
        var old = repo.Write("a.yaml", "old").Commit("one");
        repo.Write("a.yaml", "new").Commit("two");
        var source = Source();

        var atOld = await source.GetRevisionAsync(Spec("main", ""), old, CancellationToken.None);
        Assert.Equal(old, atOld.CommitSha);
        Assert.Equal(old, atOld.Reference);
        Assert.Equal("old", Encoding.UTF8.GetString(atOld.Files[0].Content));
        Assert.Equal(1, source.FetchCount);

        var shortSha = await source.GetRevisionAsync(Spec("main", ""), old[..8], CancellationToken.None);
        Assert.Equal(old, shortSha.CommitSha);
        Assert.Equal(1, source.FetchCount);
    }

    [Fact]
    public async Task GetRevision_ReferenceIsSha_ResolvesCommitNotOnBranchTip()
    {
        var old = repo.Write("a.yaml", "old").Commit("one");
        repo.Write("a.yaml", "new").Commit("two");

        var revision = await Source().GetRevisionAsync(Spec(old, ""), null, CancellationToken.None);

        Assert.Equal(old, revision.CommitSha);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GetRevision_Tag_ResolvesToTheTaggedCommit(bool annotated)
    {
        var tagged = repo.Write("a.yaml", "v1").Commit("one");
        repo.Tag("v1.0", annotated);
        repo.Write("a.yaml", "v2").Commit("two");

        var byShortName = await Source().GetRevisionAsync(Spec("v1.0", ""), null, CancellationToken.None);
        var byFullName = await Source().GetRevisionAsync(Spec("main", ""), "refs/tags/v1.0", CancellationToken.None);

        Assert.Equal(tagged, byShortName.CommitSha);
        Assert.Equal("refs/tags/v1.0", byShortName.Reference);
        Assert.Equal(tagged, byFullName.CommitSha);
        Assert.Equal("v1", Encoding.UTF8.GetString(byShortName.Files[0].Content));
    }

    [Fact]
    public async Task GetRevision_OtherBranch_IsFetchedOnItsOwn()
    {
        repo.Write("a.yaml", "main").Commit("one");
        var staging = repo.Write("a.yaml", "staging").Commit("two", branch: "staging");

        var revision = await Source().GetRevisionAsync(Spec("staging", ""), null, CancellationToken.None);

        Assert.Equal(staging, revision.CommitSha);
        Assert.Equal("refs/heads/staging", revision.Reference);
    }

    [Fact]
    public async Task GetRevision_UnknownReference_FailsNamingIt()
    {
        repo.Write("a.yaml", "a").Commit("one");

        var ex = await Assert.ThrowsAsync<GitSourceException>(() => Source().GetRevisionAsync(Spec("nope", ""), null, CancellationToken.None));

        Assert.Contains("'nope' not found", ex.Message, StringComparison.Ordinal);
        Assert.Contains(repo.BarePath, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetRevision_UnknownSha_FailsNamingIt()
    {
        repo.Write("a.yaml", "a").Commit("one");
        const string missing = "0123456789abcdef0123456789abcdef01234567";

        var ex = await Assert.ThrowsAsync<GitSourceException>(() => Source().GetRevisionAsync(Spec("main", ""), missing, CancellationToken.None));

        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetRevision_FileUrl_Works()
    {
        var sha = repo.Write("a.yaml", "a").Commit("one");

        var revision = await Source().GetRevisionAsync(new GitSourceSpec(new Uri(repo.BarePath).AbsoluteUri, "main", ""), null, CancellationToken.None);

        Assert.Equal(sha, revision.CommitSha);
    }

    [Fact]
    public async Task GetRevision_ConcurrentCallsOnOneRepository_AllSucceed()
    {
        var sha = repo.Write("a.yaml", "a").Commit("one");
        var source = Source();

        var all = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => source.GetRevisionAsync(Spec("main", ""), null, CancellationToken.None)));

        Assert.All(all, r => Assert.Equal(sha, r.CommitSha));
        Assert.Equal(1, source.FetchCount);
    }

    [Fact]
    public async Task GetRevision_CancelledToken_Throws()
    {
        repo.Write("a.yaml", "a").Commit("one");
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Source().GetRevisionAsync(Spec("main", ""), null, cts.Token));
    }

    [Fact]
    public async Task GetRevision_CorruptCacheFolder_IsRebuilt()
    {
        var sha = repo.Write("a.yaml", "a").Commit("one");
        var folder = Path.Combine(repo.CachePath, CacheKey(repo.BarePath));
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "HEAD"), "garbage");

        var revision = await Source().GetRevisionAsync(Spec("main", ""), null, CancellationToken.None);

        Assert.Equal(sha, revision.CommitSha);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task GetRevision_SshRemote_RunsTheConfiguredSshCommand()
    {
        var sha = repo.Write("a.yaml", "a").Commit("one");
        var fakeSsh = FakeSsh.Create(repo.TempPath);
        var source = new GitSource(repo.CachePath, new GitOptions { SshCommand = fakeSsh });

        var revision = await source.GetRevisionAsync(new GitSourceSpec(FakeSsh.UrlOf(repo.BarePath), "main", ""), null, CancellationToken.None);

        Assert.Equal(sha, revision.CommitSha);
        Assert.Contains("git@gitserver.invalid git-upload-pack", await File.ReadAllTextAsync(fakeSsh + ".log"), StringComparison.Ordinal);
    }

    private GitSource Source() => new(repo.CachePath);

    private GitSourceSpec Spec(string reference, string path) => new(repo.BarePath, reference, path);

    private static string CacheKey(string repository) => RepositoryLocation.Parse(repository).CacheKey;
}
