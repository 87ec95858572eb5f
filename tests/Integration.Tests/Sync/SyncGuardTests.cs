using GitOps.Agent.Sync;
using GitOps.Diff.Drift;

namespace GitOps.Integration.Tests.Sync;

/// <summary>
/// Prune and ownership guards against a real API server: what is deleted, what is kept and why,
/// and what the agent refuses to touch because another set (or another repository) owns it.
/// </summary>
public sealed class SyncGuardTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Sync_FileDeletedFromGit_IsPruned()
    {
        await using var h = new SyncHarness(cluster, "prune");
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace))
            .Write("a.yaml", Yaml.ConfigMap(h.Namespace, "a", ("k", "1")))
            .Write("b.yaml", Yaml.ConfigMap(h.Namespace, "b", ("k", "2")))
            .Commit("first");
        await h.SyncAsync();

        h.Repo.Delete("b.yaml").Commit("remove b");
        var result = await h.SyncAsync();

        Assert.Equal(SyncAction.Pruned, Assert.Single(result.Objects, o => o.Key.Name == "b").Action);
        Assert.Null(await h.ConfigMapAsync("b"));
        Assert.NotNull(await h.ConfigMapAsync("a"));
    }

    [Fact]
    public async Task Sync_PruneOff_ReportsWhatWouldBePrunedAndKeepsIt()
    {
        await using var h = new SyncHarness(cluster, "pruneoff");
        h.Target = h.Target with { Prune = false };
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace))
            .Write("b.yaml", Yaml.ConfigMap(h.Namespace, "b", ("k", "2")))
            .Commit("first");
        await h.SyncAsync();

        h.Repo.Delete("b.yaml").Commit("remove b");
        var result = await h.SyncAsync();

        Assert.Equal(SyncAction.PruneSkipped, Assert.Single(result.Objects, o => o.Key.Name == "b").Action);
        Assert.NotNull(await h.ConfigMapAsync("b"));
    }

    [Fact]
    public async Task Sync_ObjectOfAnotherApplySet_IsRefused()
    {
        await using var first = new SyncHarness(cluster, "owner");
        first.Repo.Write("ns.yaml", Yaml.Namespace(first.Namespace)).Write("a.yaml", Yaml.ConfigMap(first.Namespace, "a", ("k", "1"))).Commit("mine");
        await first.SyncAsync();

        await using var second = new SyncHarness(cluster, "thief");
        second.Repo.Write("a.yaml", Yaml.ConfigMap(first.Namespace, "a", ("k", "stolen"))).Commit("theirs");
        var result = await second.SyncAsync();

        Assert.Equal(SyncPhase.Failed, result.Phase);
        Assert.Contains("another ApplySet", result.Message, StringComparison.Ordinal);
        Assert.Equal("1", (string?)(await first.ConfigMapAsync("a"))!["data"]!["k"]);
    }

    [Fact]
    public async Task Sync_ManifestCarryingPartOfLabel_IsRefused()
    {
        await using var h = new SyncHarness(cluster, "label");
        h.Repo.Write("a.yaml", $"""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: a
              namespace: {h.Namespace}
              labels:
                applyset.kubernetes.io/part-of: applyset-someone-else-v1
            """).Commit("label");

        var result = await h.SyncAsync();

        Assert.True(result.InputError);
        Assert.Contains("applyset.kubernetes.io/part-of", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_EmptyRenderWithPrune_DeletesNothing()
    {
        await using var h = new SyncHarness(cluster, "empty");
        var first = h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace)).Write("a.yaml", Yaml.ConfigMap(h.Namespace, "a", ("k", "1"))).Commit("first");
        await h.SyncAsync();

        h.Repo.Delete("ns.yaml").Delete("a.yaml").Write("README.md", "nothing here").Commit("oops, emptied");
        var result = await h.SyncAsync();

        Assert.Equal(SyncPhase.Failed, result.Phase);
        Assert.All(result.Objects, o => Assert.Equal(SyncAction.PruneSkipped, o.Action));
        Assert.NotNull(await h.ConfigMapAsync("a"));
        // The cluster is still at the last good commit, and both the report and the inventory say so.
        Assert.Equal(first, result.ClusterRevision);
        Assert.Contains($"stays at {first[..12]}", result.StatusMessage, StringComparison.Ordinal);
        var inventory = await h.GetAsync($"/api/v1/namespaces/{h.Target.InventoryNamespace}/configmaps/gitops-{h.Target.Name}");
        Assert.Equal(first, (string?)inventory!["data"]!["revision"]);
    }

    [Fact]
    public async Task Sync_NamespaceRemovedFromGit_IsPrunedOnlyWithOptIn()
    {
        await using var h = new SyncHarness(cluster, "nsprune");
        var extra = h.Namespace + "-x";
        h.CleanUp($"/api/v1/namespaces/{extra}");
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace)).Write("extra.yaml", Yaml.Namespace(extra)).Commit("two namespaces");
        await h.SyncAsync();

        h.Repo.Delete("extra.yaml").Commit("drop one");
        var guarded = await h.SyncAsync();
        Assert.Equal(SyncAction.PruneSkipped, Assert.Single(guarded.Objects, o => o.Key.Name == extra).Action);
        Assert.Null((await h.GetAsync($"/api/v1/namespaces/{extra}"))!["metadata"]!["deletionTimestamp"]);

        h.Target = h.Target with { PruneProtectedKinds = true };
        var optedIn = await h.SyncAsync();
        Assert.Equal(SyncAction.Pruned, Assert.Single(optedIn.Objects, o => o.Key.Name == extra).Action);
    }

    [Fact]
    public async Task Sync_SameTargetNameFromAnotherRepository_IsRefusedAndPrunesNothing()
    {
        await using var first = new SyncHarness(cluster, "srcown");
        first.Target = first.Target with { Source = "https://git.example.com/a.git#app" };
        first.Repo.Write("ns.yaml", Yaml.Namespace(first.Namespace)).Write("a.yaml", Yaml.ConfigMap(first.Namespace, "a", ("k", "1"))).Commit("a");
        await first.SyncAsync();

        await using var second = new SyncHarness(cluster, "srcother");
        second.Target = first.Target with { Source = "https://git.example.com/b.git#app" };
        second.Repo.Write("b.yaml", Yaml.ConfigMap(second.Namespace, "b", ("k", "1"))).Commit("b");
        var result = await second.SyncAsync();

        Assert.Equal(SyncPhase.Failed, result.Phase);
        Assert.Contains("already syncs https://git.example.com/a.git#app", result.Message, StringComparison.Ordinal);
        Assert.NotNull(await first.ConfigMapAsync("a"));
    }
}
