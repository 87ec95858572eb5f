using System.Text.Json.Nodes;
using GitOps.Agent.Sync;
using GitOps.Diff.Drift;

namespace GitOps.Integration.Tests.Sync;

/// <summary>
/// A first sync of 1,000 objects, whose dry-runs and applies are many requests in flight at once:
/// validation still ends before the first write, and a fault half-way through the writes is
/// reported object by object as the cluster has it.
/// </summary>
public sealed class FirstSyncAtScaleTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private const int Count = 1000;

    [Fact]
    public async Task Sync_ObjectSixHundredOfAThousandRejected_WritesNothingAndNamesIt()
    {
        await using var h = new SyncHarness(cluster, "scale-reject");
        h.Kubectl("create", "namespace", h.Namespace);
        WriteConfigMaps(h, broken: 600);
        var writesBefore = h.Api.Requests.Writes;

        var result = await h.SyncAsync();

        Assert.Equal(SyncPhase.Failed, result.Phase);
        Assert.Contains($"ConfigMap/{h.Namespace}/cm-0600", result.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was applied", result.Message, StringComparison.Ordinal);
        Assert.Equal(writesBefore, h.Api.Requests.Writes); // not one apply, not even the inventory
        Assert.Equal(Count, h.Api.Requests.Snapshot().GetValueOrDefault("PATCH (dry-run)")); // every object was judged
        Assert.Empty(await OursAsync(h));
        Assert.Null(await h.GetAsync($"/api/v1/namespaces/default/configmaps/gitops-{h.Namespace}"));
    }

    [Fact]
    public async Task Sync_QuotaRunsOutHalfWayThroughTheWrites_ReportsEachObjectAsTheClusterHasIt()
    {
        await using var h = new SyncHarness(cluster, "scale-quota");
        h.Kubectl("create", "namespace", h.Namespace);
        // A dry-run is checked against the quota without using it up, so every one passes; the
        // real writes run out of it part-way: a fault in the middle of the apply stage.
        h.Kubectl("create", "quota", "cms", "-n", h.Namespace, "--hard=configmaps=400");
        await QuotaReadyAsync(h);
        WriteConfigMaps(h, broken: null);

        var result = await h.SyncAsync();

        Assert.Equal(SyncPhase.Failed, result.Phase);
        Assert.True(result.Interrupted);
        Assert.Contains("exceeded quota", result.Message, StringComparison.Ordinal);
        var created = Names(result, SyncAction.Created);
        var notCreated = Names(result, SyncAction.Failed).Concat(Names(result, SyncAction.NotApplied)).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(Count, created.Count + notCreated.Count);
        Assert.InRange(created.Count, 1, 399);
        Assert.Equal(created, await OursAsync(h)); // what the report says was created is exactly what exists

        // The inventory kept what was written: with the quota gone, the next pass creates exactly the rest.
        await h.Api.DeleteAsync($"/api/v1/namespaces/{h.Namespace}/resourcequotas/cms", CancellationToken.None);
        var next = await h.SyncAsync();

        Assert.Equal(SyncPhase.Synced, next.Phase);
        Assert.Equal(notCreated, Names(next, SyncAction.Created));
        Assert.Equal(created, Names(next, SyncAction.Unchanged));
    }

    private static void WriteConfigMaps(SyncHarness h, int? broken)
    {
        for (var i = 0; i < Count; i++)
        {
            // A data key with a space is refused by the server's validation, never by the reader.
            var key = i == broken ? "not a valid key" : "index";
            h.Repo.Write($"cm-{i:0000}.yaml", Yaml.ConfigMap(h.Namespace, $"cm-{i:0000}", (key, $"{i}")));
        }

        h.Repo.Commit($"{Count} ConfigMaps");
    }

    private static HashSet<string> Names(SyncResult result, SyncAction action) =>
        result.Objects.Where(o => o.Action == action).Select(o => o.Key.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>The test's ConfigMaps in the cluster (not the namespace's own root CA one).</summary>
    private static async Task<HashSet<string>> OursAsync(SyncHarness h)
    {
        var list = await h.Api.ListAsync($"/api/v1/namespaces/{h.Namespace}/configmaps", null, CancellationToken.None);
        return (list["items"] as JsonArray ?? []).Select(i => (string)i!["metadata"]!["name"]!)
            .Where(n => n.StartsWith("cm-", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Quota admission refuses everything until the controller has counted the namespace once.</summary>
    private static async Task QuotaReadyAsync(SyncHarness h)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await h.GetAsync($"/api/v1/namespaces/{h.Namespace}/resourcequotas/cms"))?["status"]?["used"]?["configmaps"] is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the quota controller did not count the namespace within 60 s");
            await Task.Delay(200);
        }
    }
}
