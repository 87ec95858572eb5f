using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GitOps.Agent.Hosting;

/// <summary>
/// Runs the target workers only while this replica holds the Lease. Leadership lost cancels the
/// token the workers' passes run under, so a pass in flight stops writing at its next request;
/// another replica takes over within the lease duration. The Lease is not released on shutdown
/// (KubernetesClient's elector does not), so a successor waits at most one lease duration.
/// </summary>
internal sealed partial class LeaderGate(
    AgentConfig config,
    Kube.KubeApi api,
    Kube.WatchCache cache,
    Sync.SyncEngine engine,
    IEnumerable<TargetWorker> workers,
    AgentMetrics metrics,
    AgentReadiness readiness,
    ILogger<LeaderGate> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var identity = config.Identity;
        var lease = new LeaseLock(api.Client, config.Namespace, config.LeaseName, identity);
        using var elector = new LeaderElector(new LeaderElectionConfig(lease)
        {
            LeaseDuration = config.LeaseDuration,
            RenewDeadline = config.LeaseDuration * 2 / 3,
            RetryPeriod = config.LeaseDuration / 7,
        });
        var byApplySet = workers.ToDictionary(w => w.ApplySetId);
        cache.Changed += id => byApplySet.GetValueOrDefault(id)?.Trigger();
        CancellationTokenSource? leading = null;
        Task work = Task.CompletedTask;
        elector.OnStartedLeading += () =>
        {
            LogLeading(logger, identity);
            metrics.SetLeader(true);
            engine.ForgetInventories();
            leading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            work = Task.WhenAll(workers.Select(w => Task.Run(() => w.RunAsync(leading.Token), CancellationToken.None)));
        };
        elector.OnStoppedLeading += () =>
        {
            LogLost(logger, identity);
            metrics.SetLeader(false);
            leading?.Cancel();
        };
        elector.OnError += ex => readiness.Report("apiserver", ex.Message);
        readiness.MarkReady();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await elector.RunUntilLeadershipLostAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }

            leading?.Cancel();
            await StoppedAsync(work);
            leading?.Dispose();
            leading = null;
        }

        leading?.Cancel();
        await StoppedAsync(work);
    }

    /// <summary>Workers end by cancellation when leadership or the process ends; that is not an error.</summary>
    private static async Task StoppedAsync(Task work)
    {
        try
        {
            await work;
        }
        catch (OperationCanceledException)
        {
            // expected
        }
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "{Identity} is the leader: syncing")]
    private static partial void LogLeading(ILogger logger, string identity);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "{Identity} lost leadership: passes stop writing")]
    private static partial void LogLost(ILogger logger, string identity);
}
