using GitOps.Agent.Git;
using GitOps.Agent.Render;
using GitOps.Agent.Sync;
using GitOps.Diff.Drift;
using GitOps.TestSupport.Helm;

namespace GitOps.Integration.Tests.Render;

/// <summary>
/// A chart whose dependency comes from a real HTTP chart repository (lighttpd, basic auth, packages
/// from <c>helm package</c>), synced through the real runner, git source, helm and API server:
/// Chart.lock's version is applied, a pass at the same commit fetches and renders nothing, and a
/// commit that only moves Chart.lock re-renders with the new version.
/// </summary>
public sealed class ChartRepositorySyncTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>, IDisposable
{
    private readonly string cacheDir = Path.Combine(Path.GetTempPath(), ClusterFixture.UniqueName("chartrepo-cache"));
    private readonly string work = Directory.CreateTempSubdirectory("gitops-chartrepo-it-").FullName;
    private readonly ChartRepositoryServer server = new();

    public void Dispose()
    {
        server.Dispose();
        Directory.Delete(work, recursive: true);
        if (Directory.Exists(cacheDir))
        {
            Directory.Delete(cacheDir, recursive: true);
        }
    }

    [Fact]
    public async Task Sync_ChartWithRepositoryDependency_AppliesTheLockedVersionAndFollowsANewLock()
    {
        await using var h = new SyncHarness(cluster, "chartrepo");
        server.Publish(ChartFolders.Lib(work, "1.0.0"));
        var chart = Path.Combine(work, "chart");
        ChartFolders.App(chart, server.Url, "^1.0.0");
        var oldLock = server.LockOf(chart);
        server.Publish(ChartFolders.Lib(work, "1.2.3"));
        var newLock = server.LockOf(chart);
        Assert.Contains("version: 1.2.3", newLock, StringComparison.Ordinal);
        foreach (var file in Directory.EnumerateFiles(chart, "*", SearchOption.AllDirectories))
        {
            h.Repo.Write("chart/" + Path.GetRelativePath(chart, file), File.ReadAllText(file));
        }

        h.Repo.Write("chart/Chart.lock", oldLock).Write("ns/ns.yaml", Yaml.Namespace(h.Namespace)).Commit("chart locked at lib 1.0.0");
        var renderer = new ToolRenderer(RenderOptions.FromEnvironment());
        var repository = new ChartRepository("charts", server.Url, server.SecretFile("user", ChartRepositoryServer.User), server.SecretFile("password", ChartRepositoryServer.Password), null, false);
        await PassAsync(h, renderer, "ns");
        h.Target = h.Target with { Render = new RenderSettings(SourceKind.Helm, new HelmSettings("rel", [], null) { Repositories = [repository] }) };

        var first = await PassAsync(h, renderer, "chart");
        var again = await PassAsync(h, renderer, "chart");
        var before = await h.ConfigMapAsync("rel-lib");
        h.Repo.Write("chart/Chart.lock", newLock).Commit("lock lib 1.2.3");
        var moved = await PassAsync(h, renderer, "chart");

        Assert.True(first.Phase == SyncPhase.Synced, first.Message);
        Assert.Equal(3, first.Counts[SyncAction.Created]);
        Assert.Equal("1.0.0", (string?)before!["data"]!["libVersion"]);
        Assert.Equal("v1.20.2", (string?)before["data"]!["kube"]);
        Assert.Equal(SyncPhase.Synced, again.Phase);
        Assert.Equal(3, again.Counts[SyncAction.Unchanged]);
        Assert.True(moved.Phase == SyncPhase.Synced, moved.Message);
        Assert.Equal("1.2.3", (string?)(await h.ConfigMapAsync("rel-lib"))!["data"]!["libVersion"]);
        Assert.Equal(2, renderer.Runs);  // the pass at the same commit rendered nothing
        Assert.Equal(2, renderer.Dependencies.Fetches); // once per lock
        var service = await h.GetAsync($"/api/v1/namespaces/{h.Namespace}/services/rel-lib");
        Assert.Equal(8080, (int?)service!["spec"]!["ports"]![0]!["port"]); // the parent's values reach the dependency
    }

    private async Task<SyncResult> PassAsync(SyncHarness h, IRenderer renderer, string path)
    {
        var engine = new SyncEngine(h.Api, new SyncEngineOptions(), TimeProvider.System, renderer: renderer);
        var runner = new PassRunner(new GitSource(cacheDir), engine, []);
        var target = h.Target with { Name = h.Target.Name + "-" + path.Replace('/', '-') };
        h.CleanUp($"/api/v1/namespaces/default/configmaps/gitops-{target.Name}");
        return (await runner.RunAsync(new PassRequest(target, new GitSourceSpec(h.Repo.Root, "main", path)), CancellationToken.None)).Result;
    }
}
