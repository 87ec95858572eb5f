using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GitOps.Agent.Hosting;

/// <summary>
/// Runs the target workers only while this replica holds the Lease, and survives the control
/// plane: any failure of leader election (the API server restarting, a network cut) ends the
/// term, never the process; the gate backs off and campaigns again. Writes are fenced
/// (<see cref="LeaseFence"/>), so a replica that was paused past its renew deadline writes
/// nothing before it has won a new term. The Lease is not released on shutdown (KubernetesClient's
/// elector does not), so a successor waits at most one lease duration.
/// </summary>
internal sealed partial class LeaderGate(
    AgentConfig config,
    Kube.KubeApi api,
    LeaseFence fence,
    AgentTerm term,
    AgentMetrics metrics,
    AgentReadiness readiness,
    TimeProvider clock,
    ILogger<LeaderGate> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        metrics.SetLeader(false); // followers export it too
        readiness.MarkReady();
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await CampaignAsync(stoppingToken);
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                failures++;
                LogElectionFailed(logger, config.Identity, ex.GetType().Name, ex.Message);
            }
            finally
            {
                await EndTermAsync();
            }

            try
            {
                await Task.Delay(Backoff(failures), clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task CampaignAsync(CancellationToken stoppingToken)
    {
        var inner = new LeaseLock(api.Client, config.Namespace, config.LeaseName, config.Identity);
        var fenced = new FencedLock(inner, fence, clock, ReportReachable);
        using var elector = new LeaderElector(new LeaderElectionConfig(fenced)
        {
            LeaseDuration = config.LeaseDuration,
            RenewDeadline = RenewDeadline(config.LeaseDuration),
            RetryPeriod = config.LeaseDuration / 7,
        });
        elector.OnStartedLeading += () =>
        {
            LogLeading(logger, config.Identity);
            metrics.SetLeader(true);
            term.Begin(stoppingToken);
        };
        elector.OnStoppedLeading += () =>
        {
            LogLost(logger, config.Identity);
            metrics.SetLeader(false);
            fence.Revoke();
        };
        elector.OnError += ex => LogElectionError(logger, config.Identity, ex.Message);

        // A fence that went down (this process was paused past its renew deadline) ends the term
        // even if the elector could still renew: the workers have stopped, and only a new term
        // starts them again from scratch.
        using var campaign = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        void EndTerm() => campaign.Cancel();
        fence.Lost += EndTerm;
        try
        {
            await elector.RunUntilLeadershipLostAsync(campaign.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            LogFenceDown(logger, config.Identity);
        }
        finally
        {
            fence.Lost -= EndTerm;
        }
    }

    /// <summary>The renew deadline: a leader that could not renew for this long stops writing, well before others may take over.</summary>
    public static TimeSpan RenewDeadline(TimeSpan leaseDuration) => leaseDuration * 2 / 3;

    private async Task EndTermAsync()
    {
        metrics.SetLeader(false);
        fence.Revoke();
        await term.EndAsync();
    }

    private void ReportReachable(Exception? error)
    {
        readiness.Report("apiserver", error is null ? null : $"cannot reach the API server: {error.Message}");
        metrics.SetReachable("apiserver", null, error is null);
    }

    /// <summary>
    /// Campaigning again backs off from the workers' initial backoff, but never beyond one lease
    /// duration: after an outage the cluster must get a leader back within seconds, not minutes.
    /// </summary>
    private TimeSpan Backoff(int failures) =>
        failures == 0 ? config.LeaseDuration / 7 : TimeSpan.FromTicks(Math.Min(config.LeaseDuration.Ticks, config.Worker.BackoffInitial.Ticks << Math.Min(failures - 1, 20)));
}
