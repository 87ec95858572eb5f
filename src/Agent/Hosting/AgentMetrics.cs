using System.Reflection;
using System.Text;
using GitOps.Agent.Kube;
using GitOps.Agent.Sync;
using GitOps.Diff.Drift;
using Prometheus;

namespace GitOps.Agent.Hosting;

/// <summary>
/// The agent's Prometheus metrics, through prometheus-net with a registry of its own (several
/// agents share a test process; the library's default registry would also start its .NET event
/// listeners). prometheus-net was chosen over OpenTelemetry's exporter by measurement: see
/// <see cref="StatusServer"/>'s remarks. Families labelled by target are registered on their
/// first sample, so a follower shows no pass series at all, only <c>gitops_leader 0</c>.
/// </summary>
internal sealed class AgentMetrics
{
    private static readonly double[] PassBuckets = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    private readonly CollectorRegistry registry = Metrics.NewCustomRegistry();
    private readonly Dictionary<string, string> syncedRevision = new(StringComparer.Ordinal);
    private readonly Lock revisionLock = new();
    private readonly RequestCounter requests;
    private readonly TimeProvider clock;
    private readonly Gauge leader;
    private readonly Lazy<Counter> passes;
    private readonly Lazy<Histogram> passDuration;
    private readonly Lazy<Counter> objects;
    private readonly Lazy<Gauge> lastSynced;
    private readonly Lazy<Gauge> lastRevision;
    private readonly Lazy<Counter> errors;
    private readonly Lazy<Gauge> reachable;
    private readonly Lazy<Gauge> targetReachable;
    private readonly Lazy<Counter> apiRequests;
    private readonly Lazy<Gauge> shardHeld;
    private readonly Lazy<Gauge> liveReplicas;

    public AgentMetrics(RequestCounter requests, TimeProvider clock)
    {
        this.requests = requests;
        this.clock = clock;
        var f = Metrics.WithCustomRegistry(registry);
        leader = f.CreateGauge("gitops_leader", "1 while this replica holds the Lease and syncs; 0 on a follower.");
        f.CreateGauge("gitops_build_info", "The agent's version; always 1.", "version").WithLabels(Version).Set(1);
        passes = new(() => f.CreateCounter("gitops_passes_total", "Reconcile passes by outcome.", "target", "phase"));
        passDuration = new(() => f.CreateHistogram("gitops_pass_duration_seconds", "How long a pass took.", ["target"], new HistogramConfiguration { Buckets = PassBuckets }));
        objects = new(() => f.CreateCounter("gitops_objects_total", "Objects of passes, by what the pass did to them.", "target", "action"));
        lastSynced = new(() => f.CreateGauge("gitops_last_synced_timestamp_seconds", "When the target last reached Synced (Unix time).", "target"));
        lastRevision = new(() => f.CreateGauge("gitops_last_synced_revision", "The revision the target last reached Synced at; always 1.", "target", "revision"));
        errors = new(() => f.CreateCounter("gitops_errors_total", "Errors outside a pass's verdict, by the stage that failed.", "target", "stage"));
        reachable = new(() => f.CreateGauge("gitops_reachable", "1 when a dependency answered its last request.", "dependency"));
        targetReachable = new(() => f.CreateGauge("gitops_reachable", "1 when a dependency answered its last request.", "dependency", "target"));
        apiRequests = new(() => f.CreateCounter("gitops_api_requests_total", "Requests to the API server by verb.", "verb"));
        shardHeld = new(() => f.CreateGauge("gitops_shard_held", "1 for each shard whose Lease this replica holds and syncs, 0 for the others.", "shard"));
        liveReplicas = new(() => f.CreateGauge("gitops_shard_replicas_live", "Replicas this one sees alive through their heartbeat Leases (itself included)."));
        var heap = f.CreateGauge("gitops_gc_heap_bytes", "Managed heap size after the last garbage collection.");
        var committed = f.CreateGauge("gitops_gc_committed_bytes", "Memory the garbage collector has committed.");
        var resident = f.CreateGauge("process_resident_memory_bytes", "Resident memory of the process.");
        registry.AddBeforeCollectCallback(() =>
        {
            var gc = GC.GetGCMemoryInfo();
            heap.Set(gc.HeapSizeBytes);
            committed.Set(gc.TotalCommittedBytes);
            resident.Set(Environment.WorkingSet);
            foreach (var (verb, count) in requests.Snapshot())
            {
                apiRequests.Value.WithLabels(verb).IncTo(count);
            }
        });
        leader.Set(0);
    }

    /// <summary>The informational version of the build (SDK-stamped, with the commit when known).</summary>
    public static string Version { get; } =
        typeof(AgentMetrics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>The Prometheus exposition format's content type, as <see cref="WriteAsync"/> writes it.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public void RecordPass(string target, SyncResult result, TimeSpan duration)
    {
        passes.Value.WithLabels(target, result.Phase.ToString()).Inc();
        passDuration.Value.WithLabels(target).Observe(duration.TotalSeconds);
        foreach (var (action, count) in result.Counts)
        {
            objects.Value.WithLabels(target, action.ToContract()).Inc(count);
        }

        if (result.Phase == SyncPhase.Synced)
        {
            lastSynced.Value.WithLabels(target).Set(clock.GetUtcNow().ToUnixTimeSeconds());
            SetSyncedRevision(target, result.Revision);
        }
    }

    /// <summary>
    /// <c>gitops_render_tool_info{tool, version, path}</c>: 1 per Kustomize/Helm binary found (with the
    /// version it reports), 0 with version <c>not found</c> for one that is not. The tools are asked
    /// now, in the background (once: the answer is kept and is what renders use).
    /// </summary>
    public AgentMetrics WithRenderTools(Render.Tools tools)
    {
        var info = Metrics.WithCustomRegistry(registry).CreateGauge("gitops_render_tool_info", "The Kustomize and Helm binaries renders use, by the version they report; 0 when not found.", "tool", "version", "path");
        var reported = new List<Task>();
        foreach (var (name, probe) in new[] { ("kustomize", tools.KustomizeAsync(CancellationToken.None)), ("helm", tools.HelmAsync(CancellationToken.None)) })
        {
            reported.Add(probe.ContinueWith(
                t =>
                {
                    var tool = t.IsCompletedSuccessfully ? t.Result : null;
                    info.WithLabels(name, tool?.Version ?? "not found", tool?.Path ?? tools.Configured(name)).Set(tool is null ? 0 : 1);
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default));
        }

        RenderToolsReported = Task.WhenAll(reported);
        return this;
    }

    /// <summary>Completes once <see cref="WithRenderTools"/>'s series are set.</summary>
    internal Task RenderToolsReported { get; private set; } = Task.CompletedTask;

    public void RecordError(string target, string stage) => errors.Value.WithLabels(target, stage).Inc();

    public void SetLeader(bool leading) => leader.Set(leading ? 1 : 0);

    /// <summary>Whether this replica holds <paramref name="shard"/>'s Lease and syncs its targets (<c>gitops_shard_held</c>).</summary>
    public void SetShard(int shard, bool held) => shardHeld.Value.WithLabels(shard.ToString(System.Globalization.CultureInfo.InvariantCulture)).Set(held ? 1 : 0);

    public void SetLiveReplicas(int count) => liveReplicas.Value.Set(count);

    /// <summary>This replica holds the Lease now (what <c>gitops_leader</c> says).</summary>
    public bool Leading => leader.Value == 1;

    /// <summary>Whether a dependency answers: <c>apiserver</c> (target null) or a target's <c>git</c> repository.</summary>
    public void SetReachable(string dependency, string? target, bool reachable)
    {
        var child = target is null ? this.reachable.Value.WithLabels(dependency) : targetReachable.Value.WithLabels(dependency, target);
        child.Set(reachable ? 1 : 0);
    }

    /// <summary>Writes every series in the text exposition format (<see cref="ContentType"/>).</summary>
    public Task WriteAsync(Stream to, CancellationToken ct) => registry.CollectAndExportAsTextAsync(to, ct);

    /// <summary>The exposition text, for tests and diagnostics.</summary>
    public string Render()
    {
        using var buffer = new MemoryStream();
        // A MemoryStream completes every write synchronously: this wait never blocks on I/O.
        WriteAsync(buffer, CancellationToken.None).GetAwaiter().GetResult();
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>One series per target: the previous revision's is removed, not left at 1 beside the new one.</summary>
    private void SetSyncedRevision(string target, string revision)
    {
        lock (revisionLock)
        {
            if (syncedRevision.TryGetValue(target, out var previous) && previous != revision)
            {
                lastRevision.Value.RemoveLabelled(target, previous);
            }

            syncedRevision[target] = revision;
            lastRevision.Value.WithLabels(target, revision).Set(1);
        }
    }
}
