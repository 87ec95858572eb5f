using GitOps.Agent.Git;
using GitOps.Agent.Render;
using GitOps.Agent.Tests.Git;

namespace GitOps.Agent.Tests.Render;

/// <summary>
/// The render cache keyed by what the build loaded: real commits in a real repository, the real
/// tools, tool runs counted by <see cref="ToolRenderer.Runs"/>.
/// </summary>
public sealed class RenderCacheKeyTests : IDisposable
{
    private readonly RemoteRepository remote = new();

    public void Dispose() => remote.Dispose();

    [Fact]
    public async Task Kustomize_CommitChangingAnUnrelatedFolder_RunsNoTool()
    {
        Overlay();
        var renderer = new ToolRenderer(RenderTool.Options);
        var first = await RenderAt(renderer, SourceKind.Kustomize, "overlays/staging", remote.Commit("overlay"));

        remote.Write("docs/README.md", "unrelated\n").Write("other/cm.yaml", ConfigMap("other", "x"));
        var second = await RenderAt(renderer, SourceKind.Kustomize, "overlays/staging", remote.Commit("elsewhere"));

        Assert.Equal(1, renderer.Runs);
        Assert.Same(first, second);
    }

    [Fact]
    public async Task Kustomize_CommitChangingALoadedBase_RendersAgain()
    {
        Overlay();
        var renderer = new ToolRenderer(RenderTool.Options);
        await RenderAt(renderer, SourceKind.Kustomize, "overlays/staging", remote.Commit("overlay"));

        remote.Write("base/cm.yaml", ConfigMap("app", "changed"));
        var files = await RenderAt(renderer, SourceKind.Kustomize, "overlays/staging", remote.Commit("base changed"));

        Assert.Equal(2, renderer.Runs);
        Assert.Contains("value: changed", Text(files), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kustomize_CommitChangingAComponentFolder_RendersAgain()
    {
        Overlay();
        remote.Write("components/label/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonAnnotations: {team: a}\n")
            .Write("overlays/staging/kustomization.yaml", "resources: [../../base]\ncomponents: [../../components/label]\nnamePrefix: staging-\n");
        var renderer = new ToolRenderer(RenderTool.Options);
        await RenderAt(renderer, SourceKind.Kustomize, "overlays/staging", remote.Commit("component"));

        remote.Write("components/label/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonAnnotations: {team: b}\n");
        var files = await RenderAt(renderer, SourceKind.Kustomize, "overlays/staging", remote.Commit("component changed"));

        Assert.Equal(2, renderer.Runs);
        Assert.Contains("team: b", Text(files), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Helm_CommitOutsideTheChartAndValues_RunsNoTool_ValuesChange_RendersAgain()
    {
        remote.Write("chart/Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n")
            .Write("chart/templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  x: {{ .Values.x | quote }}\n")
            .Write("env/staging.yaml", "x: one\n");
        var renderer = new ToolRenderer(RenderTool.Options);
        var helm = new HelmSettings(null, ["../env/staging.yaml"], null);
        await RenderAt(renderer, SourceKind.Helm, "chart", remote.Commit("chart"), helm);

        remote.Write("env/production.yaml", "x: other\n").Write("README.md", "hello\n");
        await RenderAt(renderer, SourceKind.Helm, "chart", remote.Commit("elsewhere"), helm);
        Assert.Equal(1, renderer.Runs);

        remote.Write("env/staging.yaml", "x: two\n");
        var files = await RenderAt(renderer, SourceKind.Helm, "chart", remote.Commit("values"), helm);
        Assert.Equal(2, renderer.Runs);
        Assert.Contains("x: \"two\"", Text(files), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kustomize_SymlinkInALoadedFolder_FallsBackToTheWholeTree()
    {
        Overlay();
        remote.Write("shared/cm.yaml", ConfigMap("linked", "one")).Symlink("base/linked.yaml", "../shared/cm.yaml")
            .Write("base/kustomization.yaml", "resources: [cm.yaml, linked.yaml]\n");
        var renderer = new ToolRenderer(RenderTool.Options);
        await RenderAt(renderer, SourceKind.Kustomize, "overlays/staging", remote.Commit("linked"));

        remote.Write("shared/cm.yaml", ConfigMap("linked", "two"));
        var files = await RenderAt(renderer, SourceKind.Kustomize, "overlays/staging", remote.Commit("link target changed"));

        Assert.Equal(2, renderer.Runs);
        Assert.Contains("value: two", Text(files), StringComparison.Ordinal);
    }

    private void Overlay() =>
        remote.Write("base/kustomization.yaml", "resources: [cm.yaml]\n").Write("base/cm.yaml", ConfigMap("app", "one"))
            .Write("overlays/staging/kustomization.yaml", "resources: [../../base]\nnamePrefix: staging-\n");

    private async Task<IReadOnlyList<Diff.Render.ManifestFile>> RenderAt(ToolRenderer renderer, SourceKind kind, string path, string commit, HelmSettings? helm = null)
    {
        var git = new GitSource(remote.CachePath);
        var spec = new GitSourceSpec(remote.BarePath, "main", path);
        var source = await git.GetRevisionAsync(spec, commit, CancellationToken.None);
        var job = new RenderJob("t", kind, path, source.Render!.TreeKey, (dest, ct) => git.ExportAsync(spec, commit, dest, ct))
        {
            Helm = helm ?? HelmSettings.None,
            Fingerprint = (paths, ct) => git.FingerprintAsync(spec, commit, paths, ct),
        };
        return await renderer.RenderAsync(job, CancellationToken.None);
    }

    private static string Text(IReadOnlyList<Diff.Render.ManifestFile> files) =>
        string.Concat(files.Select(f => System.Text.Encoding.UTF8.GetString(f.Content.Span)));

    private static string ConfigMap(string name, string value) => $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  value: {value}\n";
}
