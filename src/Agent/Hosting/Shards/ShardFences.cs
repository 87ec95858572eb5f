namespace GitOps.Agent.Hosting.Shards;

/// <summary>
/// The Lease fence of every shard (<see cref="LeaseFence"/> per shard), as the one fence of the
/// process: a write is allowed only while the Lease of the shard it is made for is provably ours.
/// Which shard that is flows with the work: a shard's workers start inside <see cref="Enter"/>,
/// and everything they await (passes, reporters, requests) carries it. A write made outside any
/// shard is refused: with shards, nothing of the agent writes on behalf of no target.
/// </summary>
internal sealed class ShardFences : Kube.IWriteFence
{
    private readonly AsyncLocal<int?> current = new();
    private readonly LeaseFence[] fences;
    private readonly int shards;
    private readonly Func<string, int> shardOf;

    public ShardFences(int shards, TimeSpan renewDeadline, TimeProvider clock)
    {
        this.shards = shards;
        fences = Enumerable.Range(0, shards).Select(_ => new LeaseFence(renewDeadline, clock)).ToArray();
        shardOf = name => ShardAssignment.ShardOf(name, shards);
    }

    public int Count => shards;

    public LeaseFence this[int shard] => fences[shard];

    /// <summary>Work started (or awaited) until the returned scope ends belongs to <paramref name="shard"/>.</summary>
    public IDisposable Enter(int shard)
    {
        var previous = current.Value;
        current.Value = shard;
        return new Scope(() => current.Value = previous);
    }

    public void EnsureHeld()
    {
        if (current.Value is not { } shard)
        {
            throw new Kube.FenceLostException("not writing: this write belongs to no shard");
        }

        EnsureHeld(shard);
    }

    /// <summary>Every target of a batch (one notes push carries several) must be in a shard still ours.</summary>
    public void EnsureHeldFor(IEnumerable<string> targets)
    {
        foreach (var shard in targets.Select(shardOf).Distinct())
        {
            EnsureHeld(shard);
        }
    }

    private void EnsureHeld(int shard)
    {
        if (!fences[shard].Held)
        {
            fences[shard].Revoke();
            throw new Kube.FenceLostException($"not writing: the Lease of shard {shard} was not renewed in time (this replica was paused, cut off, or gave the shard up)");
        }
    }

    private sealed class Scope(Action end) : IDisposable
    {
        public void Dispose() => end();
    }
}
