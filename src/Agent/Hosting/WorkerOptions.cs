namespace GitOps.Agent.Hosting;

/// <summary>
/// When a target's passes run: every timing constant of the worker in one place, bound from the
/// agent configuration (<c>backoff: {initial, max}</c>, <c>resyncPeriod</c>) and validated at start.
/// </summary>
internal sealed record WorkerOptions
{
    /// <summary>The wait after the first failed pass; it doubles with every further failure (default 2s).</summary>
    public TimeSpan BackoffInitial { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait between failed passes (default 5m).</summary>
    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A full pass at least this often, even when no watch event said anything moved (default 10m).</summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>After a trigger, wait this long for the burst of events to settle (default 500ms).</summary>
    public TimeSpan TriggerSettle { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>After an announced push (a webhook), wait this long for more deliveries of the same push (default 100ms).</summary>
    public TimeSpan AnnounceSettle { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Intervals vary by ± this fraction so replicas of many agents do not hit git in step (default 0.1).</summary>
    public double Jitter { get; init; } = 0.1;

    /// <summary>What makes these options unusable, each named by its key in the configuration file.</summary>
    public IEnumerable<string> Problems()
    {
        if (BackoffInitial <= TimeSpan.Zero)
        {
            yield return "backoff.initial: must be more than 0";
        }

        if (BackoffMax < BackoffInitial)
        {
            yield return $"backoff.max: must be at least backoff.initial ({BackoffInitial.TotalSeconds}s)";
        }

        if (ResyncPeriod <= TimeSpan.Zero)
        {
            yield return "resyncPeriod: must be more than 0";
        }
    }
}
