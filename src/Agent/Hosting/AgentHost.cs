using GitOps.Agent.Git;
using GitOps.Agent.Kube;
using GitOps.Agent.Sync;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GitOps.Agent.Hosting;

/// <summary>Wires the long-running agent: one worker per target behind a leader gate, plus the status server.</summary>
internal static class AgentHost
{
    /// <param name="api">The connection to the cluster; the host owns it from here on.</param>
    public static IHost Build(AgentConfig config, KubeApi api)
    {
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
        s.AddSingleton(sp => new AgentMetrics(sp.GetRequiredService<KubeApi>().Requests, sp.GetRequiredService<TimeProvider>()));
        s.AddSingleton<AgentReadiness>();
        s.AddSingleton(sp => new WatchCache(sp.GetRequiredService<KubeApi>(), new LiveState(sp.GetRequiredService<KubeApi>(), new SyncEngineOptions().Parallelism)));
        s.AddSingleton(sp => new SyncEngine(sp.GetRequiredService<KubeApi>(), new SyncEngineOptions(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<WatchCache>()));
        s.AddSingleton<IGitSource>(sp => new GitSource(config.CacheDir, GitOptions.Default, sp.GetRequiredService<ILogger<GitSource>>()));
        s.AddSingleton<ICommitStatusStore>(sp => new GitNotesStatus(config.CacheDir, GitOptions.Default, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<GitNotesStatus>>()));
        s.AddSingleton<EventRecorder>();
        s.AddSingleton<PassServices>();
        foreach (var target in config.Targets)
        {
            s.AddSingleton(sp => new TargetWorker(target, config, sp.GetRequiredService<PassServices>(), sp.GetRequiredService<ILogger<TargetWorker>>()));
        }

        s.AddHostedService<StatusServer>();
        s.AddHostedService<LeaderGate>();
        return builder.Build();
    }
}
