using GitOps.Agent.Git;
using GitOps.Agent.Render;
using GitOps.Agent.Sync;
using GitOps.Diff.Drift;
using GitOps.TestSupport.Git;

namespace GitOps.Integration.Tests.Render;

/// <summary>
/// The render cache through the real runner and git source, on the real server: a commit that
/// changes nothing the overlay loads runs no tool and stays a no-op; a commit to the base it loads
/// renders and applies again. And a remote base (another repository, served by the real HTTP git
/// server) synced when the target allows it, refused by default.
/// </summary>
public sealed class RenderCacheSyncTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>, IDisposable
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
    public async Task Sync_CommitElsewhereRunsNoTool_CommitToTheLoadedBaseAppliesIt()
    {
        await using var h = new SyncHarness(cluster, "kcache");
        var renderer = new ToolRenderer(RenderOptions.FromEnvironment());
        h.Repo.Write("base/kustomization.yaml", "resources: [cm.yaml]\n").Write("base/cm.yaml", Yaml.ConfigMap(h.Namespace, "settings", ("level", "info")))
            .Write("overlays/test/kustomization.yaml", $"namespace: {h.Namespace}\nresources: [../../base, namespace.yaml]\n")
            .Write("overlays/test/namespace.yaml", Yaml.Namespace(h.Namespace)).Commit("overlay");
        var runner = Runner(h, renderer);
        Assert.Equal(SyncPhase.Synced, (await PassAsync(h, runner)).Phase);

        h.Repo.Write("docs/notes.md", "unrelated\n").Write("other/cm.yaml", Yaml.ConfigMap(h.Namespace, "other", ("k", "v"))).Commit("elsewhere");
        var elsewhere = await PassAsync(h, runner);
        Assert.Equal(SyncPhase.Synced, elsewhere.Phase);
        Assert.Equal(2, elsewhere.Counts[SyncAction.Unchanged]);
        Assert.Equal(h.Repo.Head, elsewhere.Revision);
        Assert.Equal(1, renderer.Runs);

        h.Repo.Write("base/cm.yaml", Yaml.ConfigMap(h.Namespace, "settings", ("level", "debug"))).Commit("debug logging");
        var changed = await PassAsync(h, runner);
        Assert.True(changed.Phase == SyncPhase.Synced, changed.Message);
        Assert.Equal(2, renderer.Runs);
        Assert.Equal("debug", (string?)(await h.ConfigMapAsync("settings"))!["data"]!["level"]);
    }

    [Fact]
    public async Task Sync_RemoteBaseOverHttp_AllowedIsSynced_DefaultIsRefusedApplyingNothing()
    {
        using var server = new GitHttpServer();
        await using var h = new SyncHarness(cluster, "kremote");
        using var shared = new TestRepo();
        shared.Write("base/kustomization.yaml", "resources: [cm.yaml]\n").Write("base/cm.yaml", Yaml.ConfigMap(h.Namespace, "shared", ("from", "remote"))).Commit("shared");
        Processes.Run("git", Path.GetTempPath(), null, "clone", "-q", "--bare", shared.Root, server.PathOf("shared.git"));
        var url = server.UrlOf("shared.git").Replace("http://", $"http://{GitHttpServer.User}:{GitHttpServer.Token}@", StringComparison.Ordinal);
        h.Repo.Write("overlay/kustomization.yaml", $"namespace: {h.Namespace}\nresources:\n  - {url}//base?ref=main\n  - namespace.yaml\n")
            .Write("overlay/namespace.yaml", Yaml.Namespace(h.Namespace)).Commit("remote base");

        var refused = await PassAsync(h, Runner(h, new ToolRenderer(RenderOptions.FromEnvironment())), "overlay");
        Assert.Equal(SyncPhase.Failed, refused.Phase);
        Assert.Contains("overlay/kustomization.yaml (resources):", refused.Message, StringComparison.Ordinal);
        Assert.Contains("is a remote resource", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(GitHttpServer.Token, refused.Message, StringComparison.Ordinal);
        Assert.Null(await h.GetAsync($"/api/v1/namespaces/{h.Namespace}"));

        h.Target = h.Target with { Render = RenderSettings.Detect with { Kustomize = new KustomizeSettings(AllowRemoteResources: true) } };
        var synced = await PassAsync(h, Runner(h, new ToolRenderer(RenderOptions.FromEnvironment())), "overlay");
        Assert.True(synced.Phase == SyncPhase.Synced, synced.Message);
        Assert.Equal("remote", (string?)(await h.ConfigMapAsync("shared"))!["data"]!["from"]);
    }

    private PassRunner Runner(SyncHarness h, IRenderer renderer) =>
        new(new GitSource(cacheDir), new SyncEngine(h.Api, new SyncEngineOptions(), TimeProvider.System, renderer: renderer), []);

    private static async Task<SyncResult> PassAsync(SyncHarness h, PassRunner runner, string path = "overlays/test")
    {
        var target = h.Target with { Name = h.Target.Name + "-" + path.Replace('/', '-') };
        h.CleanUp($"/api/v1/namespaces/default/configmaps/gitops-{target.Name}");
        return (await runner.RunAsync(new PassRequest(target, new GitSourceSpec(h.Repo.Root, "main", path)), CancellationToken.None)).Result;
    }
}
