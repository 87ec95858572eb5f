using System.Text.Json.Nodes;
using GitOps.Agent.Kube;
using GitOps.Agent.Kube.Live;
using GitOps.Agent.Sync;
using GitOps.Diff.Drift;
using GitOps.Diff.Identity;

namespace GitOps.Integration.Tests.Sync;

/// <summary>
/// Member lists too long for one ConfigMap (1 MiB): compressed over part ConfigMaps that the
/// parent names, written and read on the real server, by one writer and by two at once.
/// </summary>
public sealed class InventoryPartsTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private const string Ns = "default";

    [Fact]
    public async Task Write_TwentyThousandLongNamedMembers_StoredInPartsAndReadBackByAFreshReader()
    {
        using var api = cluster.Connect();
        var target = Target("big");
        try
        {
            var inventory = Inventory(target, Members(20_000, "a"));
            Assert.True(inventory.SerializeMembers().Length > 4 * 1024 * 1024, "several times what one ConfigMap holds");

            var stored = await Store(api).WriteAsync(target, inventory, CancellationToken.None);
            var read = await Store(api).ReadAsync(target, CancellationToken.None);

            Assert.Equal(inventory.SerializeMembers(), read.SerializeMembers());
            Assert.Equal("rev-1", read.Revision);
            Assert.Equal(stored.Parts, read.Parts);
            var parts = await PartsAsync(api, target);
            Assert.Equal(stored.Parts.Order(), parts.Select(Name).Order());
            var parent = (await api.GetAsync($"/api/v1/namespaces/{Ns}/configmaps/{InventoryStore.ParentName(target)}", CancellationToken.None))!;
            Assert.Equal(string.Empty, (string?)parent["data"]!["members"]);
            Assert.Equal("ConfigMap", ((string?)parent["metadata"]!["annotations"]!["applyset.kubernetes.io/contains-group-kinds"]));
        }
        finally
        {
            await CleanUpAsync(api, target);
        }
    }

    [Fact]
    public async Task Write_ListShrinksBelowTheInlineLimit_GoesBackInlineAndDeletesTheParts()
    {
        using var api = cluster.Connect();
        var target = Target("shrink");
        var options = new InventoryOptions { InlineBytes = 4 * 1024, PartBytes = 1024 };
        try
        {
            var store = Store(api, options);
            var large = await store.WriteAsync(target, Inventory(target, Members(300, "a")), CancellationToken.None);
            Assert.NotEmpty(large.Parts);

            var small = await store.WriteAsync(target, large with { Members = Members(3, "a") }, CancellationToken.None);

            Assert.Empty(small.Parts);
            Assert.Empty(await PartsAsync(api, target));
            var read = await Store(api, options).ReadAsync(target, CancellationToken.None);
            Assert.Equal(3, read.Members.Count);
        }
        finally
        {
            await CleanUpAsync(api, target);
        }
    }

    [Fact]
    public async Task Write_TwoWritersAtOnce_BothListsRecordedAndOnlyTheNamedPartsRemain()
    {
        using var api = cluster.Connect();
        var target = Target("two");
        var options = new InventoryOptions { InlineBytes = 4 * 1024, PartBytes = 2 * 1024 };
        try
        {
            await Store(api, options).WriteAsync(target, Inventory(target, Members(10, "base")), CancellationToken.None);
            var before = await Store(api, options).ReadAsync(target, CancellationToken.None);

            // Both start from the same version: one of them is refused, merges and writes again.
            await Task.WhenAll(
                Store(api, options).WriteAsync(target, before with { Members = Members(400, "x") }, CancellationToken.None),
                Store(api, options).WriteAsync(target, before with { Members = Members(400, "y") }, CancellationToken.None));

            var read = await Store(api, options).ReadAsync(target, CancellationToken.None);
            Assert.Equal(800, read.Members.Count);
            Assert.Equal(read.Parts.Order(), (await PartsAsync(api, target)).Select(Name).Order());
        }
        finally
        {
            await CleanUpAsync(api, target);
        }
    }

    [Fact]
    public async Task Write_PartNoParentNames_DeletedOnlyOnceOlderThanTheOrphanAge()
    {
        using var api = cluster.Connect();
        var target = Target("orphan");
        var options = new InventoryOptions { InlineBytes = 4 * 1024, PartBytes = 2 * 1024 };
        try
        {
            var orphan = InventoryDocument.BuildPart(target, InventoryStore.IdOf(target), $"{InventoryStore.ParentName(target)}-part-dead0000-0", [1, 2, 3], 0, 1);
            await api.CreateAsync($"/api/v1/namespaces/{Ns}/configmaps", orphan, CancellationToken.None);
            var first = await Store(api, options).WriteAsync(target, Inventory(target, Members(300, "a")), CancellationToken.None);
            Assert.Contains($"{InventoryStore.ParentName(target)}-part-dead0000-0", (await PartsAsync(api, target)).Select(Name));

            var later = new InventoryStore(api, new LiveState(api, 4), options, new ShiftedClock(options.OrphanAge + TimeSpan.FromMinutes(1)));
            var second = await later.WriteAsync(target, first with { Members = Members(301, "a") }, CancellationToken.None);

            Assert.Equal(second.Parts.Order(), (await PartsAsync(api, target)).Select(Name).Order());
        }
        finally
        {
            await CleanUpAsync(api, target);
        }
    }

    [Fact]
    public async Task Sync_RevisionOverTheInventoryLimit_FailsBeforeAnythingIsApplied()
    {
        await using var h = new SyncHarness(cluster, "invlimit");
        h.Options = new SyncEngineOptions { Inventory = new InventoryOptions { MaxBytes = 2 * 1024 } };
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace));
        for (var i = 0; i < 40; i++)
        {
            h.Repo.Write($"cm-{i}.yaml", Yaml.ConfigMap(h.Namespace, $"config-{i}-{new string('x', 60)}", ("k", "v")));
        }

        h.Repo.Commit("forty objects");

        var result = await h.SyncAsync();

        Assert.Equal(SyncPhase.Failed, result.Phase);
        Assert.Contains("would list 41 objects", result.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was applied", result.Message, StringComparison.Ordinal);
        Assert.Null(await h.GetAsync($"/api/v1/namespaces/{h.Namespace}"));
    }

    [Fact]
    public async Task Sync_ManyObjectsOverParts_SyncsThenNoOpThenPrunesAndRetiresParts()
    {
        await using var h = new SyncHarness(cluster, "invparts");
        h.Options = new SyncEngineOptions { Inventory = new InventoryOptions { InlineBytes = 2 * 1024, PartBytes = 1024 } };
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace));
        for (var i = 0; i < 60; i++)
        {
            h.Repo.Write($"cm-{i}.yaml", Yaml.ConfigMap(h.Namespace, $"config-{i}", ("k", "v")));
        }

        h.Repo.Commit("sixty objects");
        Assert.Equal(SyncPhase.Synced, (await h.SyncAsync()).Phase);
        var target = h.Target;
        var partsAtFirst = (await PartsAsync(h.Api, target)).Select(Name).ToList();
        Assert.NotEmpty(partsAtFirst);

        var writes = h.Api.Requests.Writes;
        var again = await h.SyncAsync();
        Assert.All(again.Objects, o => Assert.Equal(SyncAction.Unchanged, o.Action));
        Assert.Equal(writes, h.Api.Requests.Writes);

        for (var i = 30; i < 60; i++)
        {
            h.Repo.Delete($"cm-{i}.yaml");
        }

        h.Repo.Commit("thirty fewer");
        var pruned = await h.SyncAsync();

        Assert.Equal(30, pruned.Counts[SyncAction.Pruned]);
        Assert.Null(await h.ConfigMapAsync("config-45"));
        var partsNow = (await PartsAsync(h.Api, target)).Select(Name).ToList();
        Assert.Empty(partsNow.Intersect(partsAtFirst));
        await CleanUpAsync(h.Api, target);
    }

    private static SyncTarget Target(string label)
    {
        var name = ClusterFixture.UniqueName(label);
        return new SyncTarget(name, InventoryNamespace: Ns, DefaultNamespace: name, Prune: true);
    }

    private static InventoryStore Store(KubeApi api, InventoryOptions? options = null) =>
        new(api, new LiveState(api, 4), options ?? new InventoryOptions(), TimeProvider.System);

    private static ApplySetInventory Inventory(SyncTarget target, Dictionary<ResourceKey, InventoryMember> members) =>
        new(InventoryStore.IdOf(target), "rev-1", members);

    /// <summary>Members with names near the 253-character limit in namespaces of 63, as big a line as Kubernetes allows.</summary>
    private static Dictionary<ResourceKey, InventoryMember> Members(int count, string prefix) =>
        Enumerable.Range(0, count).Select(i =>
        {
            var key = new ResourceKey(string.Empty, "ConfigMap", $"team-{i % 50:d2}-{new string('n', 52)}", $"{prefix}-{i:d6}-{new string('m', 230)}");
            return new InventoryMember(key, "v1", $"{i * 7919:x32}", $"{i * 104729:x32}");
        }).ToDictionary(m => m.Key);

    private static async Task<List<JsonObject>> PartsAsync(KubeApi api, SyncTarget target)
    {
        var list = await api.ListAsync($"/api/v1/namespaces/{Ns}/configmaps", $"{InventoryDocument.PartLabel}={InventoryStore.IdOf(target)}", CancellationToken.None);
        return (list["items"]?.AsArray() ?? []).OfType<JsonObject>().ToList();
    }

    private static string Name(JsonObject o) => (string)o["metadata"]!["name"]!;

    private static async Task CleanUpAsync(KubeApi api, SyncTarget target)
    {
        foreach (var part in await PartsAsync(api, target))
        {
            await api.DeleteAsync($"/api/v1/namespaces/{Ns}/configmaps/{Name(part)}", CancellationToken.None);
        }

        await api.DeleteAsync($"/api/v1/namespaces/{Ns}/configmaps/{InventoryStore.ParentName(target)}", CancellationToken.None);
    }

    private sealed class ShiftedClock(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
    }
}
