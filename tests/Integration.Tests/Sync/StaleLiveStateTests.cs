using System.Text.Json.Nodes;
using GitOps.Agent.Kube;
using GitOps.Agent.Kube.Live;
using GitOps.Agent.Sync;
using GitOps.Diff.Drift;
using GitOps.Diff.Identity;

namespace GitOps.Integration.Tests.Sync;

/// <summary>
/// Live state that lags the cluster (a watch not yet caught up with the last pass's create) must
/// not make a member look gone: it is forgotten only when the server confirms it, otherwise a
/// labelled object would drop out of the inventory and never be pruned.
/// </summary>
public sealed class StaleLiveStateTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Sync_MemberMissingFromALaggingSnapshot_StaysRecordedAndIsPrunedLater()
    {
        await using var h = new SyncHarness(cluster, "stale");
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace))
            .Write("a.yaml", Yaml.ConfigMap(h.Namespace, "a", ("k", "1")))
            .Write("x.yaml", Yaml.ConfigMap(h.Namespace, "x", ("k", "1")))
            .Commit("a and x");
        await h.SyncAsync();
        h.Repo.Delete("x.yaml").Commit("x removed");

        h.Live = new Lagging(new LiveState(h.Api, 4), hidden: "x");
        var lagged = await h.SyncAsync();

        Assert.Equal(SyncAction.PruneSkipped, Assert.Single(lagged.Objects, o => o.Key.Name == "x").Action);
        Assert.NotNull(await h.ConfigMapAsync("x"));
        h.Live = null; // the watch caught up
        var caughtUp = await h.SyncAsync();

        Assert.Equal(SyncAction.Pruned, Assert.Single(caughtUp.Objects, o => o.Key.Name == "x").Action);
        Assert.Null(await h.ConfigMapAsync("x"));
    }

    /// <summary>A live source whose snapshot has not seen one object yet.</summary>
    private sealed class Lagging(LiveState inner, string hidden) : ILiveSource
    {
        public async Task<Dictionary<ResourceKey, JsonObject>> LoadAsync(IEnumerable<LiveState.Collection> collections, string applySetId, CancellationToken ct)
        {
            var all = await inner.LoadAsync(collections, applySetId, ct);
            all.Remove(all.Keys.Single(k => k.Name == hidden));
            return all;
        }

        public Task<JsonObject?> GetAsync(ApiResource resource, string ns, string name, string labelSelector, CancellationToken ct) =>
            inner.GetAsync(resource, ns, name, labelSelector, ct);
    }
}
