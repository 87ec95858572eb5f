using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GitOps.Agent.Hosting.Shards;

/// <summary>
/// With <c>shards: N</c> (N &gt; 1), what <see cref="LeaderGate"/> is to one Lease: every retry
/// period it lists the agent's Leases once, renews this replica's heartbeat, sees the live replicas
/// by theirs, computes who should hold each shard (<see cref="ShardAssignment"/>), and acts for
/// itself only: renews what it keeps, stops the workers of a shard it gives up before releasing
/// its Lease, and takes a shard assigned to it once its Lease is free, released, or unchanged for
/// a lease duration (its holder is dead). Each shard's workers run in a term of their own
/// (<see cref="AgentTerm"/>) fenced by that shard's Lease (<see cref="ShardFences"/>): a replica
/// paused past a renew deadline finds the fence down at its next write and stops that shard.
/// The API server failing ends nothing but the current round; the next round starts over.
/// </summary>
internal sealed partial class ShardGate(
    AgentConfig config,
    ShardLeases leases,
    ShardFences fences,
    IReadOnlyList<AgentTerm> terms,
    AgentMetrics metrics,
    AgentReadiness readiness,
    TimeProvider clock,
    ILogger<ShardGate> logger)
    : BackgroundService
{
    private readonly HashSet<int> owned = [];
    private readonly LeaseObservations observed = new(config.LeaseDuration, clock);

    /// <summary>How often the Leases are read and renewed: as often as <see cref="LeaderGate"/> retries.</summary>
    public TimeSpan Period => config.LeaseDuration / 7;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        metrics.SetLeader(false);
        for (var s = 0; s < config.Shards; s++)
        {
            metrics.SetShard(s, false);
        }

        readiness.MarkReady();
        try
        {
            var failures = 0;
            while (!stoppingToken.IsCancellationRequested)
            {
                failures = await RoundSafelyAsync(stoppingToken) ? 0 : failures + 1;
                await Task.Delay(Delay(failures), clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
        finally
        {
            await GiveUpAllAsync();
        }
    }

    /// <summary>One round; any failure (the API server gone) is told, and false: the next round starts over.</summary>
    internal async Task<bool> RoundSafelyAsync(CancellationToken ct)
    {
        try
        {
            await RoundAsync(ct);
            ReportReachable(null);
            return true;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            ReportReachable(ex);
            LogRoundFailed(logger, leases.Identity, ex.GetType().Name, ex.Message);
            await GiveUpUnrenewedAsync();
            return false;
        }
    }

    /// <summary>
    /// A round that failed renewed nothing: a shard whose renew deadline has passed is stopped now,
    /// not at the next round that reaches the server (which, after an outage, may find another
    /// replica holding it). Its workers would find the fence down anyway; this also keeps
    /// <c>gitops_shard_held</c> true to what the replica may do.
    /// </summary>
    private async Task GiveUpUnrenewedAsync()
    {
        foreach (var shard in owned.Where(s => !fences[s].Held).Order().ToList())
        {
            await LoseAsync(shard, "its Lease could not be renewed in time (the API server did not answer)");
        }

        metrics.SetLeader(owned.Count > 0);
    }

    /// <summary>
    /// After failures, rounds back off (fewer log lines and requests during an outage), but never
    /// beyond a third of a lease duration: once the server is back, shards are held again within seconds.
    /// </summary>
    private TimeSpan Delay(int failures) =>
        TimeSpan.FromTicks(Math.Min(config.LeaseDuration.Ticks / 3, Period.Ticks << Math.Min(failures, 4)));

    private async Task RoundAsync(CancellationToken ct)
    {
        var listed = await leases.ListAsync(ct);
        observed.Observe(listed.Select(l => (l.Metadata.Name, l.Metadata.ResourceVersion)));
        var byName = listed.ToDictionary(l => l.Metadata.Name, StringComparer.Ordinal);
        await leases.HeartbeatAsync(byName.GetValueOrDefault(leases.HeartbeatName), ct);
        var live = Live(listed);
        metrics.SetLiveReplicas(live.Count);
        var desired = ShardAssignment.Assign(config.Shards, live, Holders(byName));
        foreach (var shard in owned.Order().ToList())
        {
            await KeepAsync(shard, byName.GetValueOrDefault(leases.ShardName(shard)), desired[shard], ct);
        }

        foreach (var shard in desired.Where(d => d.Value == leases.Identity && !owned.Contains(d.Key)).Select(d => d.Key).Order())
        {
            await TakeAsync(shard, byName.GetValueOrDefault(leases.ShardName(shard)), ct);
        }

        metrics.SetLeader(owned.Count > 0);
    }

    /// <summary>This replica, and every replica whose heartbeat changed within a lease duration.</summary>
    private List<string> Live(IReadOnlyList<V1Lease> listed) =>
        [.. listed
            .Where(l => ShardLeases.IsHeartbeat(l) && !string.IsNullOrEmpty(l.Spec?.HolderIdentity) && observed.Fresh(l.Metadata.Name))
            .Select(l => l.Spec.HolderIdentity)
            .Append(leases.Identity)
            .Distinct(StringComparer.Ordinal)];

    /// <summary>Who holds each shard now: ours are what we run; another's counts while its Lease keeps changing.</summary>
    private Dictionary<int, string> Holders(Dictionary<string, V1Lease> byName)
    {
        var holders = new Dictionary<int, string>();
        for (var s = 0; s < config.Shards; s++)
        {
            var name = leases.ShardName(s);
            if (byName.GetValueOrDefault(name)?.Spec?.HolderIdentity is { Length: > 0 } holder
                && (holder == leases.Identity ? owned.Contains(s) : observed.Fresh(name)))
            {
                holders[s] = holder;
            }
        }

        return holders;
    }

    private async Task KeepAsync(int shard, V1Lease? lease, string assignee, CancellationToken ct)
    {
        if (lease?.Spec?.HolderIdentity != leases.Identity)
        {
            await LoseAsync(shard, $"its Lease is held by {lease?.Spec?.HolderIdentity ?? "nobody"} now");
        }
        else if (assignee != leases.Identity)
        {
            await LoseAsync(shard, $"handed over to {assignee}");
            if (await leases.ReleaseAsync(lease, ct))
            {
                LogReleased(logger, leases.Identity, shard, assignee);
            }
        }
        else if (!fences[shard].Held)
        {
            await LoseAsync(shard, "its Lease was not renewed in time"); // taken again next round, from scratch
        }
        else
        {
            var sent = clock.GetTimestamp();
            if (await leases.HoldAsync(shard, lease, ct))
            {
                fences[shard].Renewed(sent);
            }
            else
            {
                await LoseAsync(shard, "its Lease changed under it");
            }
        }
    }

    private async Task TakeAsync(int shard, V1Lease? lease, CancellationToken ct)
    {
        var holder = lease?.Spec?.HolderIdentity;
        var free = lease is null || string.IsNullOrEmpty(holder) || holder == leases.Identity || !observed.Fresh(lease.Metadata.Name);
        if (!free)
        {
            return; // still renewed by its holder: it hands it over, or its Lease runs out
        }

        var sent = clock.GetTimestamp();
        if (!await leases.HoldAsync(shard, lease, ct))
        {
            return; // another replica was faster; the next round sees who
        }

        fences[shard].Renewed(sent);
        owned.Add(shard);
        metrics.SetShard(shard, true);
        LogTaken(logger, leases.Identity, shard, string.IsNullOrEmpty(holder) ? "nobody" : holder);
        using (fences.Enter(shard))
        {
            terms[shard].Begin(CancellationToken.None); // the workers carry the shard; its term ends them
        }
    }

    /// <summary>Stops the shard's workers and closes its fence: nothing of it is written from here on.</summary>
    private async Task LoseAsync(int shard, string why)
    {
        owned.Remove(shard);
        metrics.SetShard(shard, false);
        fences[shard].Revoke();
        await terms[shard].EndAsync();
        LogLost(logger, leases.Identity, shard, why);
    }

    /// <summary>On shutdown: stop every shard, then release its Lease so a successor takes it at once, not after a lease duration.</summary>
    private async Task GiveUpAllAsync()
    {
        var held = owned.ToList();
        foreach (var shard in held)
        {
            await LoseAsync(shard, "shutting down");
        }

        metrics.SetLeader(false);
        if (held.Count == 0)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var byName = (await leases.ListAsync(timeout.Token)).ToDictionary(l => l.Metadata.Name, StringComparer.Ordinal);
            foreach (var shard in held)
            {
                if (byName.GetValueOrDefault(leases.ShardName(shard)) is { } lease && lease.Spec?.HolderIdentity == leases.Identity)
                {
                    await leases.ReleaseAsync(lease, timeout.Token);
                }
            }
        }
        catch (Exception ex)
        {
            LogRoundFailed(logger, leases.Identity, ex.GetType().Name, ex.Message); // the Leases run out by themselves
        }
    }

    private void ReportReachable(Exception? error)
    {
        readiness.Report("apiserver", error is null ? null : $"cannot reach the API server: {error.Message}");
        metrics.SetReachable("apiserver", null, error is null);
    }
}
