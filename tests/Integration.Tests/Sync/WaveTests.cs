using GitOps.Agent.Sync;
using GitOps.Diff.Drift;

namespace GitOps.Integration.Tests.Sync;

/// <summary>Sync waves against a real API server: order observed through the server's own resourceVersions.</summary>
public sealed class WaveTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Sync_ThreeWaves_EachWaveWrittenAfterTheOneBefore()
    {
        await using var h = new SyncHarness(cluster, "waves");
        h.Kubectl("create", "namespace", h.Namespace);
        h.Repo
            .Write("late.yaml", ReleaseYaml.ConfigMap(h.Namespace, "late", "1", ("gitops.dev/sync-wave", "2")))
            .Write("first.yaml", ReleaseYaml.ConfigMap(h.Namespace, "first", "1", ("gitops.dev/sync-wave", "-1")))
            .Write("middle.yaml", ReleaseYaml.ConfigMap(h.Namespace, "middle", "1"))
            .Commit("three waves");

        var result = await h.SyncAsync();

        Assert.True(result.Phase == SyncPhase.Synced, result.Message);
        var order = new List<long>();
        foreach (var name in new[] { "first", "middle", "late" })
        {
            order.Add(long.Parse((string)(await h.ConfigMapAsync(name))!["metadata"]!["resourceVersion"]!, System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.True(order[0] < order[1] && order[1] < order[2], $"resourceVersions {string.Join(", ", order)}");
    }

    [Fact]
    public async Task Sync_ObjectInEarlierWaveThanItsNamespace_RefusedBeforeAnyWrite()
    {
        await using var h = new SyncHarness(cluster, "wavens");
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace))
            .Write("early.yaml", ReleaseYaml.ConfigMap(h.Namespace, "early", "1", ("gitops.dev/sync-wave", "-1")))
            .Commit("configmap before its namespace");

        var result = await h.SyncAsync();

        Assert.Equal(SyncPhase.Failed, result.Phase);
        Assert.Contains($"in wave -1, but its Namespace {h.Namespace} is in wave 0", result.Message, StringComparison.Ordinal);
        Assert.Null(await h.GetAsync($"/api/v1/namespaces/{h.Namespace}"));
    }

    [Fact]
    public async Task Sync_WaveNeverHealthy_FailsNamingItAndWritesNoLaterWave()
    {
        await using var h = new SyncHarness(cluster, "wavetimeout");
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace))
            .Write("db.yaml", ReleaseYaml.NeverReadyDeployment(h.Namespace, "db"))
            .Write("web.yaml", ReleaseYaml.ConfigMap(h.Namespace, "web", "1", ("gitops.dev/sync-wave", "1")))
            .Commit("db never ready");

        var result = await h.SyncAsync(timeout: TimeSpan.FromSeconds(3));

        Assert.Equal(SyncPhase.Failed, result.Phase);
        Assert.Contains("wave 0 not Healthy", result.Message, StringComparison.Ordinal);
        Assert.Contains("Deployment", result.Message, StringComparison.Ordinal);
        Assert.Contains("/db", result.Message, StringComparison.Ordinal);
        Assert.Null(await h.ConfigMapAsync("web"));
        Assert.Equal(SyncAction.NotApplied, Assert.Single(result.Objects, o => o.Key.Name == "web").Action);
    }

    [Fact]
    public async Task Sync_ArgoWaveAndHelmWeight_OrderAsAliasesOursWinning()
    {
        await using var h = new SyncHarness(cluster, "wavealias");
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace))
            .Write("a.yaml", ReleaseYaml.ConfigMap(h.Namespace, "argo", "1", ("argocd.argoproj.io/sync-wave", "3")))
            .Write("b.yaml", ReleaseYaml.ConfigMap(h.Namespace, "ours", "1", ("argocd.argoproj.io/sync-wave", "9"), ("gitops.dev/sync-wave", "1")))
            .Commit("aliases");

        var result = await h.SyncAsync();

        Assert.Equal(SyncPhase.Synced, result.Phase);
        var argo = long.Parse((string)(await h.ConfigMapAsync("argo"))!["metadata"]!["resourceVersion"]!, System.Globalization.CultureInfo.InvariantCulture);
        var ours = long.Parse((string)(await h.ConfigMapAsync("ours"))!["metadata"]!["resourceVersion"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(ours < argo, $"ours (wave 1) at {ours}, argo (wave 3) at {argo}");
    }

    [Fact]
    public async Task Sync_UnreadableWave_FailsAsInputNamingFileAndNothingWritten()
    {
        await using var h = new SyncHarness(cluster, "wavebad");
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace))
            .Write("bad.yaml", ReleaseYaml.ConfigMap(h.Namespace, "bad", "1", ("gitops.dev/sync-wave", "first")))
            .Commit("bad wave");

        var result = await h.SyncAsync();

        Assert.True(result.InputError);
        Assert.Contains("bad.yaml", result.Message, StringComparison.Ordinal);
        Assert.Contains("gitops.dev/sync-wave", result.Message, StringComparison.Ordinal);
        Assert.Null(await h.GetAsync($"/api/v1/namespaces/{h.Namespace}"));
    }
}
