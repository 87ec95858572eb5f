using k8s.LeaderElection;

namespace GitOps.Agent.Hosting;

/// <summary>
/// Writes only while the Lease is provably ours. A renewal counts from the moment it was sent
/// (not answered), on the monotonic clock; a write is allowed only while that renewal is younger
/// than the renew deadline, which is shorter than the lease duration other replicas wait out. A
/// process paused past it (SIGSTOP, a long GC, a frozen VM) finds the fence down at its next
/// write, stops, and starts a new term from scratch.
/// </summary>
internal sealed class LeaseFence(TimeSpan renewDeadline, TimeProvider clock) : Kube.IWriteFence
{
    private readonly Lock gate = new();
    private long? renewedAt;

    /// <summary>Raised once when the fence goes down (by time, or revoked): the term is over.</summary>
    public event Action? Lost;

    public bool Held
    {
        get
        {
            lock (gate)
            {
                return renewedAt is { } at && clock.GetElapsedTime(at) < renewDeadline;
            }
        }
    }

    /// <summary>A renewal sent at <paramref name="sentAt"/> (a <see cref="TimeProvider.GetTimestamp"/>) succeeded.</summary>
    public void Renewed(long sentAt)
    {
        lock (gate)
        {
            renewedAt = Math.Max(renewedAt ?? sentAt, sentAt);
        }
    }

    /// <summary>The term ended (leadership lost or given up): no write from now on.</summary>
    public void Revoke()
    {
        bool wasHeld;
        lock (gate)
        {
            wasHeld = renewedAt is not null;
            renewedAt = null;
        }

        if (wasHeld)
        {
            Lost?.Invoke();
        }
    }

    public void EnsureHeld()
    {
        if (!Held)
        {
            Revoke();
            throw new Kube.FenceLostException($"not writing: the leader Lease was not renewed within {renewDeadline.TotalSeconds:0.#}s (this replica was paused or cut off)");
        }
    }
}

/// <summary>The Lease lock, telling the fence of every renewal of ours and readiness of every failure to reach the server.</summary>
internal sealed class FencedLock(ILock inner, LeaseFence fence, TimeProvider clock, Action<Exception?> reachable) : ILock
{
    public string Identity => inner.Identity;

    public Task<LeaderElectionRecord> GetAsync(CancellationToken cancellationToken = default) =>
        ObserveAsync(() => inner.GetAsync(cancellationToken));

    public Task<bool> CreateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default) =>
        RenewAsync(record, () => inner.CreateAsync(record, cancellationToken));

    public Task<bool> UpdateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default) =>
        RenewAsync(record, () => inner.UpdateAsync(record, cancellationToken));

    public string Describe() => inner.Describe();

    private async Task<bool> RenewAsync(LeaderElectionRecord record, Func<Task<bool>> write)
    {
        var sent = clock.GetTimestamp();
        var ok = await ObserveAsync(write);
        if (ok && record.HolderIdentity == Identity)
        {
            fence.Renewed(sent);
        }

        return ok;
    }

    private async Task<T> ObserveAsync<T>(Func<Task<T>> call)
    {
        try
        {
            var result = await call();
            reachable(null);
            return result;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            reachable(ex);
            throw;
        }
    }
}
