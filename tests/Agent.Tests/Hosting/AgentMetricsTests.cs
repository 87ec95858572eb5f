using GitOps.Agent.Hosting;
using GitOps.Agent.Kube;
using GitOps.Agent.Sync;
using GitOps.Diff.Drift;
using GitOps.Diff.Health;
using GitOps.Diff.Identity;

namespace GitOps.Agent.Tests.Hosting;

/// <summary>The exposition text of <see cref="AgentMetrics"/>: the series names and labels dashboards rely on.</summary>
public sealed class AgentMetricsTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly RequestCounter requests = new() { InnerHandler = new OkHandler() };
    private readonly AgentMetrics metrics;

    public AgentMetricsTests() => metrics = new AgentMetrics(requests, new FixedClock(Now));

    [Fact]
    public void Render_NewAgent_ExportsLeaderZeroAndBuildInfoButNoPassSeries()
    {
        var text = metrics.Render();

        Assert.Contains("\ngitops_leader 0\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE gitops_leader gauge\n", text, StringComparison.Ordinal);
        Assert.Contains($"gitops_build_info{{version=\"{AgentMetrics.Version}\"}} 1\n", text, StringComparison.Ordinal);
        Assert.StartsWith("0.1.0", AgentMetrics.Version, StringComparison.Ordinal);
        Assert.DoesNotContain("gitops_passes_total", text, StringComparison.Ordinal);
        Assert.Contains("\nprocess_resident_memory_bytes ", text, StringComparison.Ordinal);
        Assert.Contains("\ngitops_gc_heap_bytes ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithRenderTools_FoundAndMissing_ExportsTheVersionOrZero()
    {
        var tools = new GitOps.Agent.Render.Tools(new GitOps.Agent.Render.RenderOptions { KustomizePath = "kubectl", HelmPath = "/no/such/helm" });
        metrics.WithRenderTools(tools);
        await metrics.RenderToolsReported;
        var kustomize = await tools.KustomizeAsync(CancellationToken.None);

        var text = metrics.Render();

        Assert.NotNull(kustomize);
        Assert.Contains($"gitops_render_tool_info{{tool=\"kustomize\",version=\"{kustomize.Version}\",path=\"{kustomize.Path}\"}} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("gitops_render_tool_info{tool=\"helm\",version=\"not found\",path=\"/no/such/helm\"} 0\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void SetLeader_LeadingThenLost_ExportsOneThenZero()
    {
        metrics.SetLeader(true);
        Assert.Contains("\ngitops_leader 1\n", metrics.Render(), StringComparison.Ordinal);

        metrics.SetLeader(false);
        Assert.Contains("\ngitops_leader 0\n", metrics.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public void RecordPass_Synced_CountsPassObjectsDurationAndTimestamp()
    {
        metrics.RecordPass("app", Result("a1", SyncPhase.Synced, SyncAction.Created, SyncAction.Created, SyncAction.Unchanged), TimeSpan.FromSeconds(3));

        var text = metrics.Render();

        Assert.Contains("gitops_passes_total{target=\"app\",phase=\"Synced\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("gitops_objects_total{target=\"app\",action=\"created\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("gitops_objects_total{target=\"app\",action=\"unchanged\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE gitops_pass_duration_seconds histogram\n", text, StringComparison.Ordinal);
        Assert.Contains("gitops_pass_duration_seconds_sum{target=\"app\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("gitops_pass_duration_seconds_count{target=\"app\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("gitops_pass_duration_seconds_bucket{target=\"app\",le=\"2.5\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("gitops_pass_duration_seconds_bucket{target=\"app\",le=\"5\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains($"gitops_last_synced_timestamp_seconds{{target=\"app\"}} {Now.ToUnixTimeSeconds()}\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void RecordPass_SyncedAtTwoRevisions_ExportsOnlyTheCurrentRevision()
    {
        metrics.RecordPass("app", Result("a1", SyncPhase.Synced), TimeSpan.FromSeconds(1));
        metrics.RecordPass("other", Result("o1", SyncPhase.Synced), TimeSpan.FromSeconds(1));
        metrics.RecordPass("app", Result("a2", SyncPhase.Synced), TimeSpan.FromSeconds(1));
        metrics.RecordPass("app", Result("a3", SyncPhase.Failed), TimeSpan.FromSeconds(1));

        var text = metrics.Render();

        Assert.Contains("gitops_last_synced_revision{target=\"app\",revision=\"a2\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("gitops_last_synced_revision{target=\"other\",revision=\"o1\"} 1\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("revision=\"a1\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("revision=\"a3\"", text, StringComparison.Ordinal);
        Assert.Contains("gitops_passes_total{target=\"app\",phase=\"Failed\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("gitops_passes_total{target=\"app\",phase=\"Synced\"} 2\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void RecordError_TwiceForOneStage_CountsTwo()
    {
        metrics.RecordError("app", "source");
        metrics.RecordError("app", "source");
        metrics.RecordError("app", "notes");

        var text = metrics.Render();

        Assert.Contains("gitops_errors_total{target=\"app\",stage=\"source\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("gitops_errors_total{target=\"app\",stage=\"notes\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void SetReachable_ApiServerAndTargetRepository_ExportsBothLabelSetsInOneFamily()
    {
        metrics.SetReachable("apiserver", null, true);
        metrics.SetReachable("git", "app", false);

        var text = metrics.Render();

        Assert.Contains("gitops_reachable{dependency=\"apiserver\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("gitops_reachable{dependency=\"git\",target=\"app\"} 0\n", text, StringComparison.Ordinal);
        Assert.Single(text.Split('\n'), l => l == "# TYPE gitops_reachable gauge");
    }

    [Fact]
    public async Task Render_AfterApiRequests_ExportsTheirCountsByVerb()
    {
        using var client = new HttpClient(requests, disposeHandler: false) { BaseAddress = new Uri("http://127.0.0.1:9/") };
        await client.GetAsync(new Uri("api/v1/namespaces", UriKind.Relative));
        await client.GetAsync(new Uri("api/v1/namespaces", UriKind.Relative));
        await client.PutAsync(new Uri("apis/coordination.k8s.io/v1/namespaces/x/leases/l", UriKind.Relative), null);

        var text = metrics.Render();

        Assert.Contains("gitops_api_requests_total{verb=\"GET\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("gitops_api_requests_total{verb=\"PUT (lease)\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE gitops_api_requests_total counter\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_Stream_WritesWhatRenderReturns()
    {
        metrics.RecordError("app", "source");
        using var stream = new MemoryStream();

        await metrics.WriteAsync(stream, CancellationToken.None);

        var written = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        Assert.Contains("gitops_errors_total{target=\"app\",stage=\"source\"} 1\n", written, StringComparison.Ordinal);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", AgentMetrics.ContentType);
    }

    public void Dispose() => requests.Dispose();

    private static SyncResult Result(string revision, SyncPhase phase, params SyncAction[] actions) =>
        new(revision, "app", phase, HealthStatus.Healthy, string.Empty, [.. actions.Select((a, i) => new ObjectResult(new ResourceKey("", "ConfigMap", "ns", $"cm{i}"), a, HealthStatus.Healthy))]);

    /// <summary>The clock a pass is recorded at.</summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>Answers every request 200 without a network: the counter only needs requests to pass through.</summary>
    private sealed class OkHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK));
    }
}
