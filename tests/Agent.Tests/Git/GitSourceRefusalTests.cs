using System.Text;
using GitOps.Agent.Git;

namespace GitOps.Agent.Tests.Git;

/// <summary>What the source refuses, each with a message naming what and where: missing or escaping paths, symlinks, submodules, budgets; and what .gitopsignore leaves out.</summary>
public sealed class GitSourceRefusalTests : IDisposable
{
    private readonly RemoteRepository repo = new();

    public void Dispose() => repo.Dispose();

    [Fact]
    public async Task GetRevision_MissingPath_FailsNamingThePath()
    {
        repo.Write("deploy/a.yaml", "a").Commit("one");

        var ex = await Assert.ThrowsAsync<GitSourceException>(() => Source().GetRevisionAsync(Spec("main", "deploy/prod"), null, CancellationToken.None));

        Assert.Contains("deploy/prod does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetRevision_PathIsAFile_Fails()
    {
        repo.Write("deploy/a.yaml", "a").Commit("one");

        var ex = await Assert.ThrowsAsync<GitSourceException>(() => Source().GetRevisionAsync(Spec("main", "deploy/a.yaml"), null, CancellationToken.None));

        Assert.Contains("deploy/a.yaml is a file", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetRevision_PathEscapingTheRepository_IsRefused()
    {
        repo.Write("a.yaml", "a").Commit("one");

        var ex = await Assert.ThrowsAsync<GitSourceException>(() => Source().GetRevisionAsync(Spec("main", "deploy/../.."), null, CancellationToken.None));

        Assert.Contains("'..'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetRevision_SymlinkUnderPath_IsRefusedNotFollowed()
    {
        repo.Write("secret.yaml", "outside").Write("deploy/a.yaml", "a").Symlink("deploy/link.yaml", "../secret.yaml").Commit("one");

        var ex = await Assert.ThrowsAsync<GitSourceException>(() => Source().GetRevisionAsync(Spec("main", "deploy"), null, CancellationToken.None));

        Assert.Contains("deploy/link.yaml is a symlink", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetRevision_SymlinkedFolderOnThePath_IsRefused()
    {
        repo.Write("real/a.yaml", "a").Symlink("deploy", "real").Commit("one");

        var ex = await Assert.ThrowsAsync<GitSourceException>(() => Source().GetRevisionAsync(Spec("main", "deploy"), null, CancellationToken.None));

        Assert.Contains("deploy is a symlink", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetRevision_SubmoduleUnderPath_IsRefused()
    {
        var first = repo.Write("deploy/a.yaml", "a").Commit("one");
        repo.Gitlink("deploy/vendor", first).Commit("add submodule");

        var ex = await Assert.ThrowsAsync<GitSourceException>(() => Source().GetRevisionAsync(Spec("main", "deploy"), null, CancellationToken.None));

        Assert.Contains("deploy/vendor is a submodule", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetRevision_GitOpsIgnore_SkipsMatchingFilesAndFolders()
    {
        repo
            .Write("deploy/.gitopsignore", "# comment\n*.test.yaml\nscratch/\n/top-only.yaml\nvendor/**/crd.yaml\n")
            .Write("deploy/app.yaml", "a")
            .Write("deploy/app.test.yaml", "skip")
            .Write("deploy/sub/other.test.yaml", "skip")
            .Write("deploy/scratch/x.yaml", "skip")
            .Write("deploy/top-only.yaml", "skip")
            .Write("deploy/sub/top-only.yaml", "kept: anchored pattern")
            .Write("deploy/vendor/a/b/crd.yaml", "skip")
            .Write("deploy/vendor/crd.yaml", "skip")
            .Write("deploy/vendor/keep.yaml", "k")
            .Symlink("deploy/scratch/link.yaml", "../app.yaml")
            .Commit("one");

        var revision = await Source().GetRevisionAsync(Spec("main", "deploy"), null, CancellationToken.None);

        Assert.Equal(["deploy/app.yaml", "deploy/sub/top-only.yaml", "deploy/vendor/keep.yaml"], revision.Files.Select(f => f.Path));
    }

    [Fact]
    public async Task GetRevision_FileOverSizeBudget_FailsNamingFileAndBudget()
    {
        repo.Write("a.yaml", new string('x', 2048)).Commit("one");
        var source = new GitSource(repo.CachePath, new GitOptions { MaxFileBytes = 1024 });

        var ex = await Assert.ThrowsAsync<GitSourceException>(() => source.GetRevisionAsync(Spec("main", ""), null, CancellationToken.None));

        Assert.Contains("a.yaml is 2048 bytes", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MaxFileBytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetRevision_TooManyFiles_FailsNamingBudget()
    {
        for (var i = 0; i < 4; i++)
        {
            repo.Write($"deploy/f{i}.yaml", "x");
        }

        repo.Commit("one");
        var source = new GitSource(repo.CachePath, new GitOptions { MaxFiles = 3 });

        var ex = await Assert.ThrowsAsync<GitSourceException>(() => source.GetRevisionAsync(Spec("main", "deploy"), null, CancellationToken.None));

        Assert.Contains("more than 3 manifest files", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetRevision_TotalBytesOverBudget_Fails()
    {
        repo.Write("a.yaml", new string('a', 600)).Write("b.yaml", new string('b', 600)).Commit("one");
        var source = new GitSource(repo.CachePath, new GitOptions { MaxTotalBytes = 1000 });

        var ex = await Assert.ThrowsAsync<GitSourceException>(() => source.GetRevisionAsync(Spec("main", ""), null, CancellationToken.None));

        Assert.Contains("MaxTotalBytes", ex.Message, StringComparison.Ordinal);
    }

    private GitSource Source() => new(repo.CachePath);

    private GitSourceSpec Spec(string reference, string path) => new(repo.BarePath, reference, path);
}
