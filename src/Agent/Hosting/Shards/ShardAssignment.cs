using System.Text;

namespace GitOps.Agent.Hosting.Shards;

/// <summary>
/// Which replica should hold which shard (pure: every replica computes the same answer from the
/// same view of the Leases). With R live replicas each gets ⌊N/R⌋ or ⌈N/R⌉ shards, and as few
/// shards as possible move: a replica keeps what it holds up to its quota; only the surplus of
/// replicas over quota and the shards of replicas gone (or never held) are handed out, each to the
/// replica with capacity left that rendezvous-hashes highest for it (so a free shard's new home
/// does not depend on the order replicas joined in).
/// </summary>
internal static class ShardAssignment
{
    /// <summary>The shard <paramref name="target"/> belongs to: FNV-1a of its UTF-8 name mod <paramref name="shards"/>, stable across processes and releases.</summary>
    public static int ShardOf(string target, int shards)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        return (int)(Fnv1a(target) % (uint)shards);
    }

    /// <summary>
    /// The holder every shard 0..<paramref name="shards"/>-1 should have.
    /// </summary>
    /// <param name="live">The replicas alive now (seen through their heartbeat Leases), never empty.</param>
    /// <param name="holders">Who holds a shard's Lease now (absent: free or expired); holders not live are ignored.</param>
    public static IReadOnlyDictionary<int, string> Assign(int shards, IReadOnlyCollection<string> live, IReadOnlyDictionary<int, string> holders)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        if (live.Count == 0)
        {
            throw new ArgumentException("at least one live replica is needed", nameof(live));
        }

        var replicas = live.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var held = replicas.ToDictionary(
            r => r,
            r => holders.Where(h => h.Key >= 0 && h.Key < shards && h.Value == r).Select(h => h.Key).OrderByDescending(s => Score(s, r)).ToList(),
            StringComparer.Ordinal);
        var quota = Quotas(shards, replicas, held);
        var result = new Dictionary<int, string>();
        foreach (var r in replicas)
        {
            foreach (var s in held[r].Take(quota[r]))
            {
                result[s] = r; // keep what it holds, up to its quota; the lowest-scoring surplus goes
            }
        }

        foreach (var s in Enumerable.Range(0, shards).Where(s => !result.ContainsKey(s)))
        {
            var home = replicas.Where(r => quota[r] > result.Values.Count(v => v == r)).MaxBy(r => Score(s, r))!;
            result[s] = home;
        }

        return result;
    }

    /// <summary>
    /// ⌊N/R⌋ each, and one more for N mod R replicas: those holding the most already (ties by name),
    /// so a replica at ⌈N/R⌉ is not made to give one up only for another to take it.
    /// </summary>
    private static Dictionary<string, int> Quotas(int shards, List<string> replicas, Dictionary<string, List<int>> held)
    {
        var floor = shards / replicas.Count;
        var extra = shards % replicas.Count;
        var first = replicas.OrderByDescending(r => held[r].Count).ThenBy(r => r, StringComparer.Ordinal).Take(extra).ToHashSet(StringComparer.Ordinal);
        return replicas.ToDictionary(r => r, r => floor + (first.Contains(r) ? 1 : 0), StringComparer.Ordinal);
    }

    /// <summary>The rendezvous (highest random weight) score of <paramref name="replica"/> for <paramref name="shard"/>.</summary>
    private static uint Score(int shard, string replica) => Fnv1a($"{shard}\n{replica}");

    private static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        // FNV's low bits mix poorly for short keys that differ in their last byte; one avalanche round fixes the mod.
        hash ^= hash >> 16;
        hash = unchecked(hash * 0x85ebca6bu);
        hash ^= hash >> 13;
        return hash;
    }
}
