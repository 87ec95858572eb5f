using System.Text.Json.Nodes;
using GitOps.Agent.Kube.Live;
using GitOps.Agent.Sync;
using GitOps.Diff.Drift;

namespace GitOps.Integration.Tests.Sync;

/// <summary>
/// Targets that deploy into the same namespace share one watch per collection: the agent's watch
/// count follows the kinds and namespaces, not the number of targets, and a change to one
/// target's member wakes that target only. Objects new to a set are read alone (from the watch,
/// or a GET), not by LISTing the whole collection, and are still found and adopted.
/// </summary>
public sealed class SharedWatchTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task TwoTargetsInOneNamespace_ShareWatches_AndAnEventWakesOnlyTheOwner()
    {
        await using var a = new SyncHarness(cluster, "shared-a");
        await using var b = new SyncHarness(cluster, "shared-b");
        b.Target = b.Target with { DefaultNamespace = a.Namespace, Adopt = true };
        using var cache = new WatchCache(a.Api, new LiveState(a.Api, 4));
        (a.Live, b.Live) = (cache, cache);
        a.Repo.Write("ns.yaml", Yaml.Namespace(a.Namespace)).Write("a1.yaml", Yaml.ConfigMap(a.Namespace, "a1", ("k", "1"))).Commit("a");
        b.Repo.Write("b1.yaml", Yaml.ConfigMap(a.Namespace, "b1", ("k", "1"))).Write("b2.yaml", Yaml.ConfigMap(a.Namespace, "b2", ("k", "1"))).Commit("b");

        Assert.Equal(SyncPhase.Synced, (await a.SyncAsync()).Phase);
        await a.Api.CreateAsync($"/api/v1/namespaces/{a.Namespace}/configmaps", ConfigMap(a.Namespace, "b2"), CancellationToken.None); // made by hand, unlabelled
        var first = await b.SyncAsync();

        Assert.Equal(SyncPhase.Synced, first.Phase);
        Assert.Equal(SyncAction.Created, Assert.Single(first.Objects, o => o.Key.Name == "b1").Action);
        Assert.Equal(SyncAction.Adopted, Assert.Single(first.Objects, o => o.Key.Name == "b2").Action); // found by its GET
        Assert.Equal(SyncAction.Unchanged, Assert.Single((await a.SyncAsync()).Objects, o => o.Key.Name == "a1").Action);
        Assert.Equal(SyncAction.Unchanged, Assert.Single((await b.SyncAsync()).Objects, o => o.Key.Name == "b1").Action);
        // Namespaces (a's), the namespace's ConfigMaps (both sets), the inventories (both): per target it was five.
        Assert.Equal(3, cache.Count);

        // Every create above has reached the watch (its events, and what they woke, are behind us) before listening.
        await WaitForAsync(async () => await MemberCountAsync(cache, a) == 1 && await MemberCountAsync(cache, b) == 2);
        var woken = new System.Collections.Concurrent.ConcurrentQueue<string>();
        cache.Changed += woken.Enqueue;
        var patch = new JsonArray(new JsonObject { ["op"] = "replace", ["path"] = "/data/k", ["value"] = "drifted" });
        await a.Api.JsonPatchAsync($"/api/v1/namespaces/{a.Namespace}/configmaps/b1", patch, CancellationToken.None);
        await WaitForAsync(() => Task.FromResult(!woken.IsEmpty));

        await Task.Delay(500); // any other event of this change would have come by now
        // Only b is woken of the two. (The Namespaces watch is cluster-wide: other tests running
        // meanwhile wake their own sets through it, so the queue may hold their ids too.)
        Assert.Contains(InventoryStore.IdOf(b.Target), woken);
        Assert.DoesNotContain(InventoryStore.IdOf(a.Target), woken);
    }

    private static async Task<int> MemberCountAsync(WatchCache cache, SyncHarness of) =>
        (await cache.LoadAsync([new LiveState.Collection(ConfigMaps, of.Target.DefaultNamespace, MembersOnly: true)], InventoryStore.IdOf(of.Target), CancellationToken.None)).Count;

    private static readonly GitOps.Agent.Kube.ApiResource ConfigMaps = new(string.Empty, "v1", "ConfigMap", "configmaps", Namespaced: true);

    private static JsonObject ConfigMap(string ns, string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["data"] = new JsonObject { ["k"] = "by hand" },
    };

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the watch did not see the change within 15 s");
            await Task.Delay(100);
        }
    }
}
