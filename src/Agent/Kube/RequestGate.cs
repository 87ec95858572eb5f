namespace GitOps.Agent.Kube;

/// <summary>
/// The bound on requests in flight at once for a whole process: every pass of every target, through
/// every view of one <see cref="KubeApi"/> (impersonated ones included). Each stage of a pass has its
/// own, smaller bound (<see cref="Sync.SyncEngineOptions.Parallelism"/>); this one keeps an agent
/// running many passes at once from sending the server passes × parallelism requests. Watches do
/// not take a slot: they stay open for minutes and hold no work of the server's.
/// </summary>
internal sealed class RequestGate : IDisposable
{
    /// <summary>The default: four passes' worth of the default stage parallelism.</summary>
    public const int DefaultLimit = 32;

    private readonly SemaphoreSlim slots;
    private int inFlight;
    private int peak;

    public RequestGate(int limit = DefaultLimit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        Limit = limit;
        slots = new SemaphoreSlim(limit, limit);
    }

    public int Limit { get; }

    /// <summary>The most requests that were in flight at once so far.</summary>
    public int Peak => Volatile.Read(ref peak);

    /// <summary>Waits for a slot (or for <paramref name="ct"/>); disposing the slot gives it back.</summary>
    public async Task<Slot> EnterAsync(CancellationToken ct)
    {
        await slots.WaitAsync(ct);
        var now = Interlocked.Increment(ref inFlight);
        for (var seen = Volatile.Read(ref peak); now > seen; seen = Volatile.Read(ref peak))
        {
            if (Interlocked.CompareExchange(ref peak, now, seen) == seen)
            {
                break;
            }
        }

        return new Slot(this);
    }

    public void Dispose() => slots.Dispose();

    private void Leave()
    {
        Interlocked.Decrement(ref inFlight);
        slots.Release();
    }

    /// <summary>One request's place in the gate.</summary>
    public sealed class Slot(RequestGate gate) : IDisposable
    {
        private int left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref left, 1) == 0)
            {
                gate.Leave();
            }
        }
    }
}
