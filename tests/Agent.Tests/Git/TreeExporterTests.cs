using GitOps.Agent.Git;

namespace GitOps.Agent.Tests.Git;

/// <summary>Kustomize and Helm folders: detected by the source, and the commit written out for the tool with links materialised or refused.</summary>
public sealed class TreeExporterTests : IDisposable
{
    private readonly RemoteRepository repo = new();
    private readonly TempFolder output = new();

    public void Dispose()
    {
        repo.Dispose();
        output.Dispose();
    }

    [Theory]
    [InlineData("kustomization.yaml", SourceKind.Kustomize)]
    [InlineData("kustomization.yml", SourceKind.Kustomize)]
    [InlineData("Kustomization", SourceKind.Kustomize)]
    [InlineData("Chart.yaml", SourceKind.Helm)]
    [InlineData("plain.yaml", SourceKind.Plain)]
    public async Task GetRevision_FolderKind_IsDetectedAndToolFoldersReadNoFiles(string file, SourceKind expected)
    {
        repo.Write($"app/{file}", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n").Commit("one");

        var revision = await Source().GetRevisionAsync(Spec("app"), null, CancellationToken.None);

        Assert.Equal(expected, revision.Render!.Kind);
        Assert.Equal(expected == SourceKind.Plain ? 1 : 0, revision.Files.Count);
        Assert.Equal(40, revision.Render.TreeKey.Length);
    }

    [Fact]
    public async Task Export_SymlinkInsideTheRepository_IsWrittenAsItsTarget()
    {
        repo.Write("shared/values.yaml", "x: 1\n").Write("app/Chart.yaml", "name: c\n").Symlink("app/values.yaml", "../shared/values.yaml")
            .Symlink("app/shared", "../shared").Commit("one");
        var revision = await Source().GetRevisionAsync(Spec("app"), null, CancellationToken.None);

        await Source().ExportAsync(Spec("app"), revision.CommitSha, output.Path, CancellationToken.None);

        Assert.Null(new FileInfo(output.Combine("app", "values.yaml")).LinkTarget);
        Assert.Equal("x: 1\n", File.ReadAllText(output.Combine("app", "values.yaml")));
        Assert.Equal("x: 1\n", File.ReadAllText(output.Combine("app", "shared", "values.yaml")));
    }

    [Fact]
    public async Task Export_SymlinkLeavingTheRepository_IsRefusedUnderThePath()
    {
        repo.Write("app/Chart.yaml", "name: c\n").Symlink("app/values.yaml", "../../../etc/passwd").Commit("one");
        var revision = await Source().GetRevisionAsync(Spec("app"), null, CancellationToken.None);

        var ex = await Assert.ThrowsAsync<GitSourceException>(() => Source().ExportAsync(Spec("app"), revision.CommitSha, output.Path, CancellationToken.None));

        Assert.Contains("app/values.yaml is a symlink", ex.Message, StringComparison.Ordinal);
        Assert.Contains("leads outside the repository", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_SymlinkLeavingTheRepositoryElsewhere_IsLeftOut()
    {
        repo.Write("app/Chart.yaml", "name: c\n").Symlink("other/passwd", "/etc/passwd").Commit("one");
        var revision = await Source().GetRevisionAsync(Spec("app"), null, CancellationToken.None);

        await Source().ExportAsync(Spec("app"), revision.CommitSha, output.Path, CancellationToken.None);

        Assert.True(File.Exists(output.Combine("app", "Chart.yaml")));
        Assert.False(File.Exists(output.Combine("other", "passwd")));
    }

    [Fact]
    public async Task Export_SubmoduleUnderThePath_IsRefused()
    {
        var sha = repo.Write("app/Chart.yaml", "name: c\n").Commit("one");
        repo.Gitlink("app/charts/dep", sha).Commit("two");
        var revision = await Source().GetRevisionAsync(Spec("app"), null, CancellationToken.None);

        var ex = await Assert.ThrowsAsync<GitSourceException>(() => Source().ExportAsync(Spec("app"), revision.CommitSha, output.Path, CancellationToken.None));

        Assert.Contains("app/charts/dep is a submodule", ex.Message, StringComparison.Ordinal);
    }

    private GitSource Source() => new(repo.CachePath);

    private GitSourceSpec Spec(string path) => new(repo.BarePath, "main", path);
}
