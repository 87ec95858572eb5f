namespace GitOps.Agent.Hosting.Hooks;

/// <summary>
/// Delivery ids (<c>X-GitHub-Delivery</c>, <c>X-Gitea-Delivery</c>) seen within a window, so a
/// captured, correctly signed delivery sent again does no work. Only verified deliveries are
/// recorded, and the log is bounded, so nobody without the secret can fill it.
/// </summary>
internal sealed class DeliveryLog(TimeProvider clock)
{
    /// <summary>Long enough for a replay to be pointless: the worker polls well within it anyway.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    public const int Capacity = 10_000;

    private readonly Lock gate = new();
    private readonly Dictionary<string, DateTimeOffset> seen = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, DateTimeOffset At)> order = new();

    /// <summary>Records <paramref name="id"/> for <paramref name="receiver"/>; false when it was already seen within <see cref="Window"/>.</summary>
    public bool TryRecord(string receiver, string id)
    {
        var key = receiver + "\n" + id;
        var now = clock.GetUtcNow();
        lock (gate)
        {
            while (order.TryPeek(out var oldest) && (now - oldest.At >= Window || order.Count >= Capacity))
            {
                order.Dequeue();
                if (seen.TryGetValue(oldest.Key, out var at) && at == oldest.At)
                {
                    seen.Remove(oldest.Key);
                }
            }

            if (seen.ContainsKey(key))
            {
                return false;
            }

            seen[key] = now;
            order.Enqueue((key, now));
            return true;
        }
    }
}
