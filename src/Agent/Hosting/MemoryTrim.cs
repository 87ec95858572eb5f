namespace GitOps.Agent.Hosting;

/// <summary>
/// Once a burst of passes is over (the pass pool idle for <see cref="Quiet"/>), gives back what the
/// burst used and freed: a blocking, compacting collection that decommits (at rest after 1,000 first
/// syncs the heap held ~65 MB, ~27 MB of it live, in ~90 MB committed) and then
/// <see cref="NativeHeap.Trim"/>. Not after every pass (that cost CPU all through a first sync), and
/// at most once per <see cref="Spacing"/>, so a trickle of passes costs a collection a minute at most.
/// </summary>
internal sealed class MemoryTrim : IDisposable
{
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan Spacing = TimeSpan.FromSeconds(60);

    private readonly PassPool pool;
    private readonly TimeProvider clock;
    private readonly Action trim;
    private readonly ITimer timer;
    private readonly Lock gate = new();
    private DateTimeOffset? last;
    private int trims;

    /// <param name="trim">What a trim does; <see cref="ReturnFreeMemory"/> in the agent.</param>
    public MemoryTrim(PassPool pool, TimeProvider clock, Action trim)
    {
        this.pool = pool;
        this.clock = clock;
        this.trim = trim;
        timer = clock.CreateTimer(_ => Fire(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        pool.Idle += Arm;
    }

    /// <summary>The pool whose idle moments this follows.</summary>
    public PassPool Pool => pool;

    /// <summary>Trims done so far.</summary>
    public int Trims => Volatile.Read(ref trims);

    /// <summary><see cref="ReturnFreeMemory"/>, or nothing with <c>GITOPS_MEMORY_TRIM=off</c> (to measure what it saves).</summary>
    public static Action FromEnvironment() =>
        string.Equals(Environment.GetEnvironmentVariable("GITOPS_MEMORY_TRIM"), "off", StringComparison.OrdinalIgnoreCase) ? () => { } : ReturnFreeMemory;

    /// <summary>The collection and the native trim, as the agent runs them.</summary>
    public static void ReturnFreeMemory()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers(); // finalizers may free native memory: trim after them
        NativeHeap.Trim();
    }

    public void Dispose()
    {
        pool.Idle -= Arm;
        timer.Dispose();
    }

    private void Arm()
    {
        lock (gate)
        {
            var now = clock.GetUtcNow();
            var due = last is { } l && l + Spacing > now + Quiet ? l + Spacing - now : Quiet;
            timer.Change(due, Timeout.InfiniteTimeSpan); // each new idle moment restarts the wait
        }
    }

    private void Fire()
    {
        lock (gate)
        {
            if (!pool.IsIdle)
            {
                return; // a pass began since: its own end arms the timer again
            }

            last = clock.GetUtcNow();
        }

        trim();
        Interlocked.Increment(ref trims);
    }
}
