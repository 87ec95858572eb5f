using GitOps.Agent.Git;
using GitOps.Agent.Hosting.Hooks;
using GitOps.Agent.Hosting.Web;
using GitOps.Agent.Kube;
using GitOps.Agent.Kube.Live;
using GitOps.Agent.Sync;
using GitOps.Agent.Sync.Forge;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GitOps.Agent.Hosting;

/// <summary>Wires the long-running agent: one worker per target behind a leader gate, plus the status server.</summary>
internal static class AgentHost
{
    /// <summary>One client for every forge of the process (pooled connections); a forge that hangs costs a pass at most this long per request.</summary>
    private static readonly HttpClient ForgeHttp = new() { Timeout = TimeSpan.FromSeconds(5) };

    /// <param name="api">The connection to the cluster; the host owns it from here on.</param>
    public static IHost Build(AgentConfig config, KubeApi api)
    {
        NativeHeap.LimitArenas(2); // as the image's MALLOC_ARENA_MAX=2, wherever the agent runs (20-28 MB less at rest)
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            o.UseUtcTimestamp = true;
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(25));
        var s = builder.Services;
        s.AddSingleton(config);
        s.AddSingleton(TimeProvider.System);
        s.AddSingleton(api);
        s.AddSingleton(_ => new Render.ToolRenderer(config.Render));
        s.AddSingleton(sp => new AgentMetrics(sp.GetRequiredService<KubeApi>().Requests, sp.GetRequiredService<TimeProvider>()).WithRenderTools(sp.GetRequiredService<Render.ToolRenderer>().Tools));
        s.AddSingleton<AgentReadiness>();
        s.AddSingleton(sp => new LeaseFence(LeaderGate.RenewDeadline(config.LeaseDuration), sp.GetRequiredService<TimeProvider>()));
        s.AddSingleton(sp => new Shards.ShardFences(config.Shards, LeaderGate.RenewDeadline(config.LeaseDuration), sp.GetRequiredService<TimeProvider>()));
        // Every write of this process is fenced: by the leader Lease, or with shards by its target's shard Lease.
        s.AddSingleton<IWriteFence>(sp => config.Shards == 1 ? sp.GetRequiredService<LeaseFence>() : sp.GetRequiredService<Shards.ShardFences>());
        s.AddSingleton(sp => new WatchCache(sp.GetRequiredService<KubeApi>(), new LiveState(sp.GetRequiredService<KubeApi>(), new SyncEngineOptions().Parallelism), sp.GetRequiredService<ILogger<WatchCache>>(), sp.GetRequiredService<TimeProvider>()));
        s.AddSingleton(sp => new SyncEngines(sp.GetRequiredService<KubeApi>(), sp.GetRequiredService<WatchCache>(), config.Targets, new SyncEngineOptions { HealthRules = config.HealthRules }, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<Render.ToolRenderer>()));
        s.AddSingleton<IGitSource>(sp => new GitSource(CacheLayout.Repositories(config.CacheDir), GitOptions.Default, sp.GetRequiredService<ILogger<GitSource>>()));
        // Notes of all targets of a repository share one commit and one push per flush (NoteBatcher).
        s.AddSingleton<ICommitStatusStore>(sp => new NoteBatcher(
            new GitNotesStatus(CacheLayout.Repositories(config.CacheDir), GitOptions.Default, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<GitNotesStatus>>())
            {
                BeforePush = config.Shards == 1 ? sp.GetRequiredService<LeaseFence>().EnsureHeld : null,
                BeforePushFor = config.Shards == 1 ? null : sp.GetRequiredService<Shards.ShardFences>().EnsureHeldFor,
            },
            sp.GetRequiredService<TimeProvider>()));
        s.AddSingleton(sp => new NoteReporter(sp.GetRequiredService<ICommitStatusStore>(), config.Cluster, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IWriteFence>()));
        s.AddSingleton(sp => new CommitStatusReporter(
            ForgeHttp, config.Cluster, config.PublicUrl, config.Targets.Where(t => t.CommitStatus is not null).ToDictionary(t => t.Name, t => t.CommitStatus!),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IWriteFence>()));
        s.AddSingleton<PassLogReporter>();
        s.AddSingleton(_ => new ViewStore(config.Targets.Select(TargetView.Of)));
        s.AddSingleton(sp => new ViewReporter(sp.GetRequiredService<ViewStore>(), new CommitLog(CacheLayout.Repositories(config.CacheDir)), sp.GetRequiredService<TimeProvider>(), config.Web));
        s.AddSingleton(sp => new WebEndpoints(config, sp.GetRequiredService<ViewStore>(), WebAccess.From(config.Web), sp.GetRequiredService<TimeProvider>(), () => sp.GetRequiredService<AgentMetrics>().Leading));
        s.AddSingleton<ReporterFailures>();
        s.AddSingleton<IPassExecutor>(sp => new PassRunner(
            sp.GetRequiredService<IGitSource>(),
            sp.GetRequiredService<SyncEngines>().For,
            [
                sp.GetRequiredService<NoteReporter>(),
                sp.GetRequiredService<ViewReporter>(), // after the notes: it re-reads them for the pages
                sp.GetRequiredService<CommitStatusReporter>(),
                new EventReporter(sp.GetRequiredService<KubeApi>(), sp.GetRequiredService<TimeProvider>()),
                sp.GetRequiredService<PassLogReporter>(),
            ],
            sp.GetRequiredService<ReporterFailures>().Failed));
        s.AddSingleton(sp => new SharedHeads(sp.GetRequiredService<IGitSource>(), sp.GetRequiredService<TimeProvider>()));
        s.AddSingleton(_ => new PassPool(config.Concurrency));
        s.AddSingleton(sp => new MemoryTrim(sp.GetRequiredService<PassPool>(), sp.GetRequiredService<TimeProvider>(), MemoryTrim.FromEnvironment()));
        s.AddSingleton(sp => new WorkerServices(
            sp.GetRequiredService<IPassExecutor>(), sp.GetRequiredService<IGitSource>(), sp.GetRequiredService<AgentMetrics>(), sp.GetRequiredService<AgentReadiness>(), sp.GetRequiredService<TimeProvider>())
        {
            Heads = sp.GetRequiredService<SharedHeads>(),
            Pool = sp.GetRequiredService<MemoryTrim>().Pool, // the trim follows the pool from its first pass on
        });
        foreach (var target in config.Targets)
        {
            s.AddSingleton(sp => new TargetWorker(target, config, sp.GetRequiredService<WorkerServices>(), sp.GetRequiredService<ILogger<TargetWorker>>()));
        }

        s.AddSingleton(sp => Hooks(sp, config));
        s.AddHostedService<StatusServer>();
        if (config.Shards == 1)
        {
            s.AddSingleton(sp => Term(sp, config));
            s.AddHostedService<LeaderGate>();
        }
        else
        {
            Shards.ShardHosting.Add(s, config);
        }
        return builder.Build();
    }

    /// <summary>The webhook receivers; a push they accept announces a new commit to each target it concerns.</summary>
    private static HookReceiver Hooks(IServiceProvider sp, AgentConfig config)
    {
        var workers = new Lazy<Dictionary<string, TargetWorker>>(() => sp.GetServices<TargetWorker>().ToDictionary(w => w.Name, StringComparer.Ordinal));
        return new HookReceiver(config.Receivers, config.Targets, name => workers.Value[name].Announce(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<HookReceiver>>());
    }

    /// <summary>The terms of leadership: workers, what a new term forgets, and the watch events that wake workers.</summary>
    private static AgentTerm Term(IServiceProvider sp, AgentConfig config)
    {
        var workers = Workers(sp);
        var api = sp.GetRequiredService<KubeApi>();
        api.Fence = sp.GetRequiredService<LeaseFence>(); // every write of this process is fenced by the Lease
        var leases = $"/apis/coordination.k8s.io/v1/namespaces/{config.Namespace}/leases";
        api.Requests.FenceExempt = [leases, $"{leases}/{config.LeaseName}"]; // but the Lease's own
        return NewTerm(sp, workers, sp.GetRequiredService<LeaseFence>());
    }

    /// <summary>Every target's worker, woken by the watch events of its members and by the moves of its branch.</summary>
    internal static List<TargetWorker> Workers(IServiceProvider sp)
    {
        var workers = sp.GetServices<TargetWorker>().ToList();
        var byApplySet = workers.ToDictionary(w => w.ApplySetId);
        sp.GetRequiredService<WatchCache>().Changed += id => byApplySet.GetValueOrDefault(id)?.Trigger();
        sp.GetRequiredService<WatchCache>().StatusChanged += id => byApplySet.GetValueOrDefault(id)?.FollowHealth();
        sp.GetRequiredService<SharedHeads>().Moved += (repository, reference, _, at) =>
        {
            foreach (var w in workers.Where(w => w.Source.Repository == repository && w.Source.Reference == reference))
            {
                w.Announce(at); // one follower's ls-remote found the branch moved: the others need not ask again
            }
        };
        return workers;
    }

    /// <summary>
    /// A term of <paramref name="workers"/> under <paramref name="fence"/>; a new term forgets what the last one
    /// wrote for these workers' targets only (with shards, the other shards' terms go on and keep theirs).
    /// </summary>
    internal static AgentTerm NewTerm(IServiceProvider sp, IEnumerable<TargetWorker> workers, LeaseFence fence)
    {
        var engines = sp.GetRequiredService<SyncEngines>();
        var notes = sp.GetRequiredService<NoteReporter>();
        var statuses = sp.GetRequiredService<CommitStatusReporter>();
        var failures = sp.GetRequiredService<ReporterFailures>();
        var mine = workers.ToList();
        var targets = mine.Select(w => w.Name).ToHashSet(StringComparer.Ordinal);
        return new AgentTerm(mine, fence, () =>
        {
            engines.ForgetInventories(targets);
            notes.Forget(targets);
            statuses.Forget(targets);
        }, failures.WorkerFailed);
    }
}
