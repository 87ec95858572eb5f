namespace GitOps.Agent.Sync.Forge;

/// <summary>How long a forge may hold a pass up, and how often a failing answer is tried again.</summary>
internal sealed record ForgeOptions
{
    /// <summary>The most one report waits for rate limits and retries together; past it the post is given up (and counted).</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts of one request when the forge answers 5xx or cannot be reached.</summary>
    public int Attempts { get; init; } = 3;

    /// <summary>The first retry's delay; later ones double, each with ±50% jitter so replicas do not retry in step.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest forge error text kept for the log.</summary>
    public int MaxErrorLength { get; init; } = 300;
}
