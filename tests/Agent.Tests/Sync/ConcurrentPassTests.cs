using System.Net;
using GitOps.Agent.Kube;
using GitOps.Agent.Render;
using GitOps.Agent.Sync;
using GitOps.Diff.Drift;
using GitOps.Diff.Render;

namespace GitOps.Agent.Tests.Sync;

/// <summary>
/// The engine's ordering with many requests in flight (an in-memory server, requests of random
/// length): every dry-run has answered before the first write, a write batch never exceeds the
/// stage's bound, and a refusal or a cancellation part-way leaves a report that matches the cluster.
/// </summary>
public sealed class ConcurrentPassTests
{
    private const int Count = 200;
    private const string Ns = "app";

    [Fact]
    public async Task FirstSync_ManyObjects_EveryDryRunAnswersBeforeTheFirstWriteAndBothPhasesOverlapWithinTheBound()
    {
        var cluster = new FakeCluster();

        var result = await SyncAsync(cluster, CancellationToken.None);

        Assert.Equal(SyncPhase.Synced, result.Phase);
        Assert.Equal(Count, result.Counts[SyncAction.Created]);
        var calls = cluster.Calls;
        var lastDryRunEnd = calls.Where(c => c.Verb == "PATCH (dry-run)").Max(c => c.Ended);
        var firstWriteStart = calls.Where(c => c.Verb is "PATCH" or "POST").Min(c => c.Started);
        Assert.True(lastDryRunEnd < firstWriteStart, $"a write started (event {firstWriteStart}) before the last dry-run answered (event {lastDryRunEnd})");
        Assert.InRange(cluster.PeakDryRunsInFlight, 2, Parallelism);
        Assert.InRange(cluster.PeakAppliesInFlight, 2, Parallelism);
    }

    [Fact]
    public async Task FirstSync_OneDryRunRefusedAmongMany_WritesNothing()
    {
        var bad = Path(120);
        var cluster = new FakeCluster { Fault = (path, dryRun) => dryRun && path == bad ? Invalid(path) : null };

        var result = await SyncAsync(cluster, CancellationToken.None);

        Assert.Equal(SyncPhase.Failed, result.Phase);
        Assert.Contains("cm-0120", result.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(cluster.Calls, c => c.Verb is "PATCH" or "POST" or "DELETE");
        Assert.Equal(Count, cluster.Calls.Count(c => c.Verb == "PATCH (dry-run)")); // every object judged, all errors at once
    }

    [Fact]
    public async Task FirstSync_WritesRefusedPartWay_ReportsCreatedExactlyWhatTheClusterHolds()
    {
        var cluster = new FakeCluster { Fault = (path, dryRun) => !dryRun && string.CompareOrdinal(path, Path(150)) >= 0 && path.Contains("/cm-", StringComparison.Ordinal) ? Invalid(path) : null };

        var result = await SyncAsync(cluster, CancellationToken.None);

        Assert.Equal(SyncPhase.Failed, result.Phase);
        Assert.True(result.Interrupted);
        var created = result.Objects.Where(o => o.Action == SyncAction.Created).Select(o => Path(o.Key.Name)).ToHashSet();
        Assert.Equal(150, created.Count);
        Assert.Equal(created, cluster.Paths.Where(p => p.Contains("/cm-", StringComparison.Ordinal)).ToHashSet());
        Assert.Equal(Count - 150, result.Objects.Count(o => o.Action == SyncAction.Failed));
        Assert.All(created, p => Assert.Contains(p[(p.LastIndexOf('/') + 1)..], Inventory(cluster), StringComparison.Ordinal));
    }

    [Fact]
    public async Task FirstSync_CancelledPartWayThroughTheWrites_InventoryAlreadyListsEveryObjectItMayHaveWritten()
    {
        using var cts = new CancellationTokenSource();
        var cluster = new FakeCluster { OnWrite = n => { if (n == 60) { cts.Cancel(); } } };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SyncAsync(cluster, cts.Token));

        var written = cluster.Paths.Where(p => p.Contains("/cm-", StringComparison.Ordinal)).ToList();
        Assert.InRange(written.Count, 1, 60 + Parallelism);
        var inventory = Inventory(cluster);
        Assert.All(written, p => Assert.Contains(p[(p.LastIndexOf('/') + 1)..], inventory, StringComparison.Ordinal)); // a later pass can prune them
    }

    private const int Parallelism = 8;

    private static async Task<SyncResult> SyncAsync(FakeCluster cluster, CancellationToken ct)
    {
        var files = Enumerable.Range(0, Count)
            .Select(i => new ManifestFile($"cm-{i:0000}.yaml", System.Text.Encoding.UTF8.GetBytes(
                $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i:0000}\n  namespace: {Ns}\ndata:\n  index: \"{i}\"\n")))
            .ToList();
        var engine = new SyncEngine(cluster, new SyncEngineOptions { Parallelism = Parallelism }, TimeProvider.System, renderer: new NoRenderer());
        var target = new SyncTarget("scale", InventoryNamespace: "default", DefaultNamespace: Ns, Prune: true);
        return await engine.RunAsync(new SyncRequest(target, "0123456789abcdef0123456789abcdef01234567", files), ct);
    }

    private static string Path(int i) => Path($"cm-{i:0000}");

    private static string Path(string name) => $"/api/v1/namespaces/{Ns}/configmaps/{name}";

    private static string Inventory(FakeCluster cluster) => cluster.Object("/api/v1/namespaces/default/configmaps/gitops-scale")?.ToJsonString() ?? string.Empty;

    private static KubeApiException Invalid(string path) => new(HttpStatusCode.UnprocessableEntity, "Invalid", $"{path}: refused by the test");

    private sealed class NoRenderer : IRenderer
    {
        public Task<IReadOnlyList<ManifestFile>> RenderAsync(RenderJob job, CancellationToken ct) => throw new NotSupportedException();
    }
}
