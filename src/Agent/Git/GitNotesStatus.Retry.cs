namespace GitOps.Agent.Git;

public sealed partial class GitNotesStatus
{
    /// <summary>
    /// A number in [0, 1) per retry, scaling its backoff ceiling; random by default, fixed by tests.
    /// Not a secret: it only spreads agents that lost the same race.
    /// </summary>
    internal Func<double> Jitter { get; set; } = Random.Shared.NextDouble;

    /// <summary>
    /// The wait before retry <paramref name="retry"/> (1 for the second attempt): "full jitter"
    /// below a ceiling of <see cref="GitOptions.PushRetryDelay"/> · 2^(retry−1), capped at
    /// <see cref="GitOptions.MaxPushRetryDelay"/>.
    /// </summary>
    internal TimeSpan BackoffDelay(int retry)
    {
        var doublings = Math.Min(retry - 1, 30);
        var ceiling = Math.Min(options.MaxPushRetryDelay.Ticks, options.PushRetryDelay.Ticks * (double)(1L << doublings));
        return TimeSpan.FromTicks((long)(ceiling * Math.Clamp(Jitter(), 0, 1)));
    }
}
