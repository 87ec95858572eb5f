namespace GitOps.Agent.Hosting;

/// <summary>Why a pass waits for a slot: what a person or the cluster just did goes first.</summary>
internal enum PassUrgency
{
    /// <summary>A periodic resync, or a retry after a failure.</summary>
    Routine,

    /// <summary>A new commit, an announced push, a member changed in the cluster, or a target's first pass of a term.</summary>
    Triggered,
}

/// <summary>
/// At most <see cref="Slots"/> passes at once across all targets (Flux's <c>--concurrent</c>):
/// 1,000 targets starting together no longer run 1,000 passes, 1,000 LISTs and 1,000 renders at
/// once. Waiting passes are served first in, first out within their urgency, triggered ones
/// before routine ones, so a push is not stuck behind a wave of resyncs.
/// </summary>
internal sealed class PassPool
{
    private readonly Lock gate = new();
    private readonly Queue<TaskCompletionSource<IDisposable>> triggered = new();
    private readonly Queue<TaskCompletionSource<IDisposable>> routine = new();
    private int free;

    public PassPool(int slots)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        Slots = free = slots;
    }

    /// <summary>The default: four passes per core, at least four (passes mostly wait on the API server and git).</summary>
    public static int DefaultSlots => Math.Max(4, Environment.ProcessorCount * 4);

    public int Slots { get; }

    /// <summary>Raised (outside the pool's lock) when the last pass in flight ends and none waits: a burst is over.</summary>
    public event Action? Idle;

    /// <summary>No pass holds a slot and none waits.</summary>
    public bool IsIdle
    {
        get
        {
            lock (gate)
            {
                return free == Slots && triggered.Count == 0 && routine.Count == 0;
            }
        }
    }

    /// <summary>Passes waiting for a slot now.</summary>
    public int Waiting
    {
        get
        {
            lock (gate)
            {
                return triggered.Count(w => !w.Task.IsCompleted) + routine.Count(w => !w.Task.IsCompleted);
            }
        }
    }

    /// <summary>A slot, held until the returned value is disposed.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled while waiting.</exception>
    public async Task<IDisposable> EnterAsync(PassUrgency urgency, CancellationToken ct)
    {
        TaskCompletionSource<IDisposable> waiter;
        lock (gate)
        {
            if (free > 0 && triggered.Count == 0 && routine.Count == 0)
            {
                free--;
                return new Slot(this);
            }

            waiter = new TaskCompletionSource<IDisposable>(TaskCreationOptions.RunContinuationsAsynchronously);
            (urgency == PassUrgency.Triggered ? triggered : routine).Enqueue(waiter);
        }

        await using var registration = ct.Register(() => waiter.TrySetCanceled(ct));
        return await waiter.Task;
    }

    private void Release()
    {
        lock (gate)
        {
            while (triggered.TryDequeue(out var next) || routine.TryDequeue(out next))
            {
                if (next.TrySetResult(new Slot(this)))
                {
                    return; // the slot passes on; a waiter that gave up is skipped
                }
            }

            if (++free < Slots)
            {
                return;
            }
        }

        Idle?.Invoke();
    }

    private sealed class Slot(PassPool pool) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                pool.Release();
            }
        }
    }
}
