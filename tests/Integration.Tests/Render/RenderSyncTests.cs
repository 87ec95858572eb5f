using GitOps.Agent.Git;
using GitOps.Agent.Render;
using GitOps.Agent.Sync;
using GitOps.Diff.Drift;

namespace GitOps.Integration.Tests.Render;

/// <summary>
/// Kustomize overlays and Helm charts synced through the real runner, git source, tools and API
/// server: a no-op pass at the same commit runs no tool; a generator change rolls its hashed
/// ConfigMap and prunes the old one; Helm's .Capabilities are the cluster's; bad input applies nothing.
/// </summary>
public sealed class RenderSyncTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>, IDisposable
{
    private readonly string cacheDir = Path.Combine(Path.GetTempPath(), ClusterFixture.UniqueName("render-cache"));

    public void Dispose()
    {
        if (Directory.Exists(cacheDir))
        {
            Directory.Delete(cacheDir, recursive: true);
        }
    }

    [Fact]
    public async Task Sync_OverlayThenSameCommit_SecondPassIsANoOpWithoutRunningTheTool()
    {
        await using var h = new SyncHarness(cluster, "kust");
        var renderer = new ToolRenderer(RenderOptions.FromEnvironment());
        Overlay(h, "LOG_LEVEL=info").Commit("overlay");

        var first = await PassAsync(h, renderer, "overlays/test");
        var second = await PassAsync(h, renderer, "overlays/test");

        Assert.True(first.Phase == SyncPhase.Synced, first.Message);
        Assert.Equal(3, first.Counts[SyncAction.Created]);
        Assert.Equal(SyncPhase.Synced, second.Phase);
        Assert.Equal(3, second.Counts[SyncAction.Unchanged]);
        Assert.Equal(1, renderer.Runs);
        var deployment = await h.GetAsync($"/apis/apps/v1/namespaces/{h.Namespace}/deployments/test-web");
        Assert.Equal(2L, (long?)deployment!["spec"]!["replicas"]);
    }

    [Fact]
    public async Task Sync_GeneratorChange_RollsTheHashedConfigMapAndPrunesTheOld()
    {
        await using var h = new SyncHarness(cluster, "kgen");
        var renderer = new ToolRenderer(RenderOptions.FromEnvironment());
        Overlay(h, "LOG_LEVEL=info").Commit("overlay");
        await PassAsync(h, renderer, "overlays/test");
        var before = ConfigMapName(await h.GetAsync($"/apis/apps/v1/namespaces/{h.Namespace}/deployments/test-web"));

        Overlay(h, "LOG_LEVEL=debug").Commit("debug logging");
        var result = await PassAsync(h, renderer, "overlays/test");

        Assert.True(result.Phase == SyncPhase.Synced, result.Message);
        var after = ConfigMapName(await h.GetAsync($"/apis/apps/v1/namespaces/{h.Namespace}/deployments/test-web"));
        Assert.NotEqual(before, after);
        Assert.StartsWith("test-settings-", after, StringComparison.Ordinal);
        Assert.Equal(SyncAction.Pruned, Assert.Single(result.Objects, o => o.Key.Name == before).Action);
        Assert.Null(await h.ConfigMapAsync(before));
        Assert.Equal("debug", (string?)(await h.ConfigMapAsync(after))!["data"]!["LOG_LEVEL"]);
    }

    [Fact]
    public async Task Sync_Chart_SeesTheClustersCapabilities()
    {
        await using var h = new SyncHarness(cluster, "helm");
        h.Repo.Write("chart/Chart.yaml", "apiVersion: v2\nname: demo\nversion: 0.1.0\n")
            .Write("chart/values.yaml", "greeting: hello\n")
            .Write("chart/values-test.yaml", "greeting: from-values-file\n")
            .Write("chart/templates/cm.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: {{ .Release.Name }}-caps
                  namespace: {{ .Release.Namespace }}
                data:
                  kubeVersion: {{ .Capabilities.KubeVersion.Version | quote }}
                  hasApps: {{ .Capabilities.APIVersions.Has "apps/v1" | quote }}
                  greeting: {{ .Values.greeting | quote }}
                """)
            .Write("ns/ns.yaml", Yaml.Namespace(h.Namespace))
            .Commit("chart");
        await PassPlainAsync(h, "ns");
        h.Target = h.Target with { Render = new RenderSettings(null, new HelmSettings("rel", ["values-test.yaml"], null)) };

        var result = await PassAsync(h, new ToolRenderer(RenderOptions.FromEnvironment()), "chart");

        Assert.True(result.Phase == SyncPhase.Synced, result.Message);
        var caps = await h.ConfigMapAsync("rel-caps");
        Assert.Equal("v1.20.2", (string?)caps!["data"]!["kubeVersion"]);
        Assert.Equal("true", (string?)caps["data"]!["hasApps"]);
        Assert.Equal("from-values-file", (string?)caps["data"]!["greeting"]);
    }

    [Fact]
    public async Task Sync_TemplateError_FailsNamingTheTemplateAndAppliesNothing()
    {
        await using var h = new SyncHarness(cluster, "helmbad");
        h.Repo.Write("chart/Chart.yaml", "apiVersion: v2\nname: demo\nversion: 0.1.0\n")
            .Write("chart/templates/a.yaml", Yaml.ConfigMap(h.Namespace, "fine", ("k", "1")))
            .Write("chart/templates/b.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.missing.deeper }}\n")
            .Commit("broken chart");

        var result = await PassAsync(h, new ToolRenderer(RenderOptions.FromEnvironment()), "chart");

        Assert.Equal(SyncPhase.Failed, result.Phase);
        Assert.Contains("helm template of chart failed", result.Message, StringComparison.Ordinal);
        Assert.Contains("templates/b.yaml", result.Message, StringComparison.Ordinal);
        Assert.Null(await h.GetAsync($"/api/v1/namespaces/{h.Namespace}"));
    }

    private static TestRepo Overlay(SyncHarness h, string literal)
    {
        h.Repo.Write("base/kustomization.yaml", "resources: [deployment.yaml]\nconfigMapGenerator:\n  - name: settings\n    literals: [WORKERS=2]\n")
            .Write("base/deployment.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                        - name: web
                          image: registry.example.com/web:1.0.0
                          envFrom: [{configMapRef: {name: settings}}]
                """)
            .Write("overlays/test/kustomization.yaml", $$"""
                namespace: {{h.Namespace}}
                namePrefix: test-
                resources: [../../base, namespace.yaml]
                replicas: [{name: web, count: 2}]
                configMapGenerator:
                  - name: settings
                    behavior: merge
                    literals: [{{literal}}]
                """)
            .Write("overlays/test/namespace.yaml", Yaml.Namespace(h.Namespace));
        return h.Repo;
    }

    private static string ConfigMapName(System.Text.Json.Nodes.JsonObject? deployment) =>
        (string)deployment!["spec"]!["template"]!["spec"]!["containers"]![0]!["envFrom"]![0]!["configMapRef"]!["name"]!;

    private async Task<SyncResult> PassAsync(SyncHarness h, IRenderer renderer, string path)
    {
        var engine = new SyncEngine(h.Api, new SyncEngineOptions(), TimeProvider.System, renderer: renderer);
        var runner = new PassRunner(new GitSource(cacheDir), engine, []);
        var target = h.Target with { Name = h.Target.Name + (path.Length > 0 ? "-" + path.Replace('/', '-') : string.Empty) };
        h.CleanUp($"/api/v1/namespaces/default/configmaps/gitops-{target.Name}");
        return (await runner.RunAsync(new PassRequest(target, new GitSourceSpec(h.Repo.Root, "main", path)), CancellationToken.None)).Result;
    }

    private Task<SyncResult> PassPlainAsync(SyncHarness h, string path) => PassAsync(h, new ToolRenderer(RenderOptions.FromEnvironment()), path);
}
