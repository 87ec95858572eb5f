using System.Text.Json.Nodes;
using GitOps.Agent.Git;
using GitOps.Agent.Render;
using GitOps.Diff.Json;
using GitOps.Diff.Render;

namespace GitOps.Agent.Tests.Render;

/// <summary>
/// The oracle is the tool itself: each case under <c>testdata/</c> is a repository whose target
/// (<c>target.txt</c>: the folder, then <c>--helm-values=FILE</c> lines) the agent renders on its
/// private copy; the same tool run straight on the folder, read by the same reader, must give the
/// same objects.
/// </summary>
public sealed class RenderGoldenTests
{
    public static TheoryData<string> Cases() => new(Directory.GetDirectories(Folder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal));

    private static string Folder => Path.Combine(AppContext.BaseDirectory, "Render", "testdata");

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Render_Case_EqualsTheToolsOwnOutput(string name)
    {
        var root = Path.Combine(Folder, name);
        var lines = File.ReadAllLines(Path.Combine(root, "target.txt")).Where(l => l.Length > 0).ToList();
        var path = lines[0];
        var values = lines.Skip(1).Select(l => l["--helm-values=".Length..]).ToList();
        var kind = SourceKinds.Detect(f => File.Exists(Path.Combine(root, path, f)));
        var helm = new HelmSettings(null, values, null);

        var agent = await new ToolRenderer(RenderTool.Options).RenderAsync(RenderTool.Job(root, kind, path, helm: helm), CancellationToken.None);

        var oracle = kind == SourceKind.Helm
            ? RenderTool.Run(Path.Combine(root, path), RenderTool.Helm, ["template", "golden", ".", "--namespace", "golden", "--include-crds", .. values.SelectMany(v => new[] { "--values", v })])
            : RenderTool.Run(root, RenderTool.Kubectl, "kustomize", path);
        Assert.NotEqual(SourceKind.Plain, kind);
        var expected = Canonical(ManifestRenderer.Render([new ManifestFile("oracle.yaml", oracle)]));
        var actual = Canonical(ManifestRenderer.Render(agent));
        Assert.True(expected.Count >= 5, $"the case renders {expected.Count} objects; a golden case should exercise more");
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task Render_HelmChart_NamesTemplatesByRepositoryPathAndKeepsHooks()
    {
        var root = Path.Combine(Folder, "helm-chart");
        var files = await new ToolRenderer(RenderTool.Options).RenderAsync(
            RenderTool.Job(root, SourceKind.Helm, "charts/web", helm: new HelmSettings("rel", ["../../env/production.yaml"], null)), CancellationToken.None);

        Assert.Contains(files, f => f.Path == "charts/web/templates/deployment.yaml (helm template)");
        Assert.Contains(files, f => f.Path == "charts/web/crds/widgets.yaml (helm template)");
        Assert.Contains(files, f => f.Path == "charts/web/charts/metrics/templates/service.yaml (helm template)"); // condition metrics.enabled
        var hook = ManifestRenderer.Render(files).Single(m => (string?)m.Object["kind"] == "Job").Object;
        Assert.Equal("pre-install,pre-upgrade", (string?)hook["metadata"]!["annotations"]!["helm.sh/hook"]);
        Assert.Equal("-5", (string?)hook["metadata"]!["annotations"]!["helm.sh/hook-weight"]);
    }

    [Fact]
    public async Task Render_ExampleRepoDjangoChart_MigrateIsASyncHookOfWave1BeforeWebInWave2LikeTheOverlays()
    {
        var root = Path.Combine(RepositoryRoot(), "example-repo");
        var files = await new ToolRenderer(RenderTool.Options).RenderAsync(
            RenderTool.Job(root, SourceKind.Helm, "charts/django", helm: new HelmSettings("golden", ["values-staging.yaml"], null)), CancellationToken.None);

        var oracle = RenderTool.Run(Path.Combine(root, "charts/django"), RenderTool.Helm, ["template", "golden", ".", "--namespace", "golden", "--values", "values-staging.yaml"]);
        var objects = ManifestRenderer.Render(files);
        Assert.Equal(Canonical(ManifestRenderer.Render([new ManifestFile("oracle.yaml", oracle)])), Canonical(objects));
        var roles = objects.ToDictionary(m => (string)m.Object["kind"]!, m => GitOps.Diff.Release.ReleaseAnnotations.Read(m.Object));
        Assert.Equal((GitOps.Diff.Release.HookPhase.Sync, 1), (Assert.Single(roles["Job"].Hooks), roles["Job"].Wave));
        Assert.Equal((false, 2), (roles["Deployment"].IsHook, roles["Deployment"].Wave));
    }

    [Fact]
    public async Task Render_HelmWithCapabilities_PassesKubeVersionAndApiVersions()
    {
        var root = Path.Combine(Folder, "helm-chart");
        var job = RenderTool.Job(root, SourceKind.Helm, "charts/web") with { Capabilities = new Capabilities("v1.20.2", ["v1", "apps/v1"]) };

        var files = await new ToolRenderer(RenderTool.Options).RenderAsync(job, CancellationToken.None);

        var config = ManifestRenderer.Render(files).Single(m => (string?)m.Object["metadata"]!["name"] == "golden-web-capabilities").Object;
        Assert.Equal("v1.20.2", (string?)config["data"]!["kubeVersion"]);
    }

    /// <summary>Objects as canonical JSON, sorted: Helm's per-template files reorder documents, nothing else may differ.</summary>
    private static List<string> Canonical(IReadOnlyList<Manifest> manifests) =>
        manifests.Select(m => CanonicalJson.Text(m.Object)).Order(StringComparer.Ordinal).ToList();

    private static string RepositoryRoot()
    {
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (d is not null && !File.Exists(Path.Combine(d.FullName, "GitOps.sln")))
        {
            d = d.Parent;
        }

        return d?.FullName ?? throw new DirectoryNotFoundException("GitOps.sln not found above the test's folder");
    }
}
