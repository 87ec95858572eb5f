using GitOps.Agent.Sync;
using GitOps.Diff.Drift;

namespace GitOps.Integration.Tests.Sync;

/// <summary>
/// The Namespace guard against a real API server, on a target that prunes and may prune
/// protected kinds: a Namespace goes only when nothing of the revision and nothing unmanaged is
/// left in it; what Kubernetes itself puts into every namespace does not hold it back.
/// </summary>
public sealed class NamespacePruneTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Sync_NamespaceRemovedButItsConfigMapStillDeclared_IsPruneSkippedNamingTheConfigMap()
    {
        await using var h = Harness("nsdeclared");
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace)).Write("a.yaml", Yaml.ConfigMap(h.Namespace, "a", ("k", "1"))).Commit("namespace and a ConfigMap in it");
        Assert.Equal(SyncPhase.Synced, (await h.SyncAsync()).Phase);

        h.Repo.Delete("ns.yaml").Commit("the Namespace goes, the ConfigMap stays");
        var result = await h.SyncAsync();

        var ns = Assert.Single(result.Objects, o => o.Key.Kind == "Namespace");
        Assert.Equal(SyncAction.PruneSkipped, ns.Action);
        Assert.Contains($"ConfigMap/{h.Namespace}/a", ns.Message, StringComparison.Ordinal);
        Assert.Equal(SyncAction.Unchanged, Assert.Single(result.Objects, o => o.Key.Kind == "ConfigMap").Action);
        await AssertAliveAsync(h);
        Assert.NotNull(await h.ConfigMapAsync("a"));
    }

    [Fact]
    public async Task Sync_NamespaceHoldingAnUnmanagedSecret_IsPruneSkippedNamingTheSecret()
    {
        await using var h = Harness("nsunmanaged");
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace)).Write("a.yaml", Yaml.ConfigMap(h.Namespace, "a", ("k", "1"))).Commit("namespace and a ConfigMap in it");
        Assert.Equal(SyncPhase.Synced, (await h.SyncAsync()).Phase);
        h.Kubectl("create", "secret", "generic", "db", "-n", h.Namespace, "--type=Opaque", "--from-literal=password=hunter2");

        MoveElsewhere(h);
        var result = await h.SyncAsync();

        var ns = Assert.Single(result.Objects, o => o.Key.Kind == "Namespace");
        Assert.Equal(SyncAction.PruneSkipped, ns.Action);
        Assert.Contains($"Secret/{h.Namespace}/db", ns.Message, StringComparison.Ordinal);
        Assert.Equal(SyncAction.Pruned, Assert.Single(result.Objects, o => o.Key.Kind == "ConfigMap" && o.Key.Name == "a").Action);
        await AssertAliveAsync(h);
        Assert.NotNull(await h.GetAsync($"/api/v1/namespaces/{h.Namespace}/secrets/db"));
    }

    [Fact]
    public async Task Sync_NamespaceAndItsContentsRemoved_BothArePruned()
    {
        await using var h = Harness("nsgone");
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace)).Write("a.yaml", Yaml.ConfigMap(h.Namespace, "a", ("k", "1"))).Commit("namespace and a ConfigMap in it");
        Assert.Equal(SyncPhase.Synced, (await h.SyncAsync()).Phase);
        // What the controller-manager puts into every namespace (and only that) is there when the guard looks.
        await WaitForAsync(async () => await h.GetAsync($"/api/v1/namespaces/{h.Namespace}/serviceaccounts/default") is not null);
        await WaitForAsync(async () => await h.ConfigMapAsync("kube-root-ca.crt") is not null);

        MoveElsewhere(h);
        var result = await h.SyncAsync();

        Assert.Equal(SyncPhase.Synced, result.Phase);
        var ns = Assert.Single(result.Objects, o => o.Key.Kind == "Namespace");
        Assert.True(ns.Action == SyncAction.Pruned, ns.Message);
        Assert.Equal(SyncAction.Pruned, Assert.Single(result.Objects, o => o.Key.Kind == "ConfigMap" && o.Key.Name == "a").Action);
        var live = await h.GetAsync($"/api/v1/namespaces/{h.Namespace}");
        Assert.True(live is null || live["metadata"]?["deletionTimestamp"] is not null, "the Namespace is neither gone nor Terminating");
    }

    private SyncHarness Harness(string label)
    {
        var h = new SyncHarness(cluster, label);
        h.Target = h.Target with { Prune = true, PruneProtectedKinds = true };
        return h;
    }

    /// <summary>The next revision declares neither the Namespace nor the ConfigMap, but something elsewhere (not an empty render).</summary>
    private static void MoveElsewhere(SyncHarness h)
    {
        var elsewhere = h.Namespace + "-elsewhere";
        h.CleanUp($"/api/v1/namespaces/default/configmaps/{elsewhere}");
        h.Repo.Delete("ns.yaml").Delete("a.yaml").Write("elsewhere.yaml", Yaml.ConfigMap("default", elsewhere, ("k", "1"))).Commit("moved elsewhere");
    }

    private static async Task AssertAliveAsync(SyncHarness h)
    {
        var live = await h.GetAsync($"/api/v1/namespaces/{h.Namespace}");
        Assert.NotNull(live);
        Assert.Null(live["metadata"]?["deletionTimestamp"]);
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the controller-manager did not fill the namespace within 30s");
            await Task.Delay(200);
        }
    }
}
