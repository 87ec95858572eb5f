namespace GitOps.Agent.Hosting.Shards;

/// <summary>
/// When each Lease was last seen changing, on this replica's monotonic clock (as client-go's
/// leader election does): another replica's clock may be wrong, its renewTime is not trusted. A
/// Lease unchanged for a lease duration is expired: its replica is dead, or its shard is free. A
/// Lease seen for the first time counts as just renewed, so a replica that starts never takes a
/// shard before its holder had a full lease duration to renew it.
/// </summary>
internal sealed class LeaseObservations(TimeSpan duration, TimeProvider clock)
{
    private readonly Dictionary<string, (string Version, long SeenAt)> seen = new(StringComparer.Ordinal);

    /// <summary>Records the versions listed now; Leases no longer listed are forgotten.</summary>
    public void Observe(IEnumerable<(string Name, string Version)> leases)
    {
        var now = clock.GetTimestamp();
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, version) in leases)
        {
            listed.Add(name);
            if (!seen.TryGetValue(name, out var known) || known.Version != version)
            {
                seen[name] = (version, now);
            }
        }

        foreach (var gone in seen.Keys.Where(k => !listed.Contains(k)).ToList())
        {
            seen.Remove(gone);
        }
    }

    /// <summary>Changed within the last lease duration.</summary>
    public bool Fresh(string name) => seen.TryGetValue(name, out var known) && clock.GetElapsedTime(known.SeenAt) < duration;
}
