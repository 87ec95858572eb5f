namespace GitOps.Agent.Sync;

/// <summary>Polling with a deadline on an injected clock: the one waiting loop the engine uses.</summary>
internal static class Poll
{
    /// <summary>Calls <paramref name="done"/> until it is true (returns true) or <paramref name="timeout"/> passes (returns false).</summary>
    public static async Task<bool> UntilAsync(TimeProvider clock, TimeSpan timeout, TimeSpan interval, Func<Task<bool>> done, CancellationToken ct)
    {
        var deadline = clock.GetUtcNow() + timeout;
        while (!await done())
        {
            if (clock.GetUtcNow() >= deadline)
            {
                return false;
            }

            await Task.Delay(interval, clock, ct);
        }

        return true;
    }
}
