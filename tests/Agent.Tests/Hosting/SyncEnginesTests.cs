using GitOps.Agent.Hosting;
using GitOps.Agent.Kube;
using GitOps.Agent.Kube.Live;
using GitOps.Agent.Sync;
using GitOps.Agent.Tests.Git;

namespace GitOps.Agent.Tests.Hosting;

/// <summary>The engines of the agent's targets share one renderer, so the render cache is bounded once for the agent.</summary>
public sealed class SyncEnginesTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void For_SharedAndImpersonatingTargets_RenderThroughOneRenderer()
    {
        using var api = Api();
        using var cache = new WatchCache(api, new LiveState(api, 1));
        TargetConfig[] targets = [new("plain", "/repo.git"), new("tenant-a", "/repo.git") { ServiceAccount = "a/sa" }, new("tenant-b", "/repo.git") { ServiceAccount = "b/sa" }];

        var engines = new SyncEngines(api, cache, targets, new SyncEngineOptions(), TimeProvider.System);

        var a = engines.For(new SyncTarget("tenant-a") { ServiceAccount = "a/sa" });
        var b = engines.For(new SyncTarget("tenant-b") { ServiceAccount = "b/sa" });
        var plain = engines.For(new SyncTarget("plain"));
        Assert.NotSame(a, b); // one engine per tenant (its own account)...
        Assert.NotSame(a, plain);
        Assert.Same(engines.Renderer, a.Renderer); // ...one renderer and cache for all
        Assert.Same(engines.Renderer, b.Renderer);
        Assert.Same(engines.Renderer, plain.Renderer);
    }

    /// <summary>A client of a server that is not there: nothing here sends a request.</summary>
    private KubeApi Api()
    {
        var file = temp.Combine("kubeconfig");
        File.WriteAllText(file, """
            apiVersion: v1
            kind: Config
            clusters: [{name: c, cluster: {server: "http://127.0.0.1:9"}}]
            users: [{name: u, user: {token: t}}]
            contexts: [{name: x, context: {cluster: c, user: u}}]
            current-context: x
            """);
        return KubeApi.Connect(file);
    }
}
