using GitOps.Agent.Hosting.Shards;

namespace GitOps.Agent.Tests.Hosting.Shards;

/// <summary>Balance (⌊N/R⌋ or ⌈N/R⌉ each), determinism, and the fewest moves when replicas join or leave.</summary>
public sealed class ShardAssignmentTests
{
    private static readonly Dictionary<int, string> Nobody = [];

    [Theory]
    [InlineData(3, 3)]
    [InlineData(6, 3)]
    [InlineData(7, 3)]
    [InlineData(3, 5)]
    [InlineData(16, 4)]
    [InlineData(1, 2)]
    public void Assign_FromNothing_GivesEachReplicaFloorOrCeilOfShardsOverReplicas(int shards, int replicas)
    {
        var live = Replicas(replicas);

        var assigned = ShardAssignment.Assign(shards, live, Nobody);

        Assert.Equal(Enumerable.Range(0, shards), assigned.Keys.Order());
        AssertBalanced(shards, live, assigned);
    }

    [Fact]
    public void Assign_SameViewInAnyOrder_SameAnswer()
    {
        var holders = new Dictionary<int, string> { [0] = "b", [4] = "b", [2] = "c" };

        var one = ShardAssignment.Assign(6, ["a", "b", "c"], holders);
        var other = ShardAssignment.Assign(6, ["c", "a", "b", "a"], new Dictionary<int, string>(holders.Reverse()));

        Assert.Equal(one.OrderBy(p => p.Key), other.OrderBy(p => p.Key));
    }

    [Fact]
    public void Assign_Balanced_MovesNothing()
    {
        var live = Replicas(3);
        var now = ShardAssignment.Assign(7, live, Nobody);

        Assert.Equal(now.OrderBy(p => p.Key), ShardAssignment.Assign(7, live, Holders(now)).OrderBy(p => p.Key));
    }

    [Fact]
    public void Assign_TheExtraShards_StayWithTheReplicasHoldingThem()
    {
        // 7 over 4: three replicas hold 2, one holds 1. Whoever sorts first by name must not get an
        // extra shard taken from a replica that already holds its ⌈N/R⌉.
        var holders = new Dictionary<int, string> { [0] = "r0", [1] = "r1", [2] = "r1", [3] = "r2", [4] = "r2", [5] = "r3", [6] = "r3" };

        var after = ShardAssignment.Assign(7, Replicas(4), holders);

        Assert.Equal(holders.OrderBy(p => p.Key), after.OrderBy(p => p.Key));
    }

    [Theory]
    [InlineData(6, 3)]
    [InlineData(7, 3)]
    [InlineData(12, 4)]
    [InlineData(3, 3)]
    public void Assign_ReplicaJoins_MovesOnlyTheSurplusToIt(int shards, int replicas)
    {
        var before = ShardAssignment.Assign(shards, Replicas(replicas), Nobody);
        var live = Replicas(replicas + 1);

        var after = ShardAssignment.Assign(shards, live, Holders(before));

        AssertBalanced(shards, live, after);
        var moved = Enumerable.Range(0, shards).Where(s => before[s] != after[s]).ToList();
        Assert.All(moved, s => Assert.Equal("r" + replicas, after[s])); // only to the newcomer
        Assert.Equal(after.Values.Count(r => r == "r" + replicas), moved.Count); // the fewest: it gets its quota, nothing more moves
    }

    [Theory]
    [InlineData(6, 3, "r1")]
    [InlineData(7, 3, "r0")]
    [InlineData(3, 3, "r2")]
    [InlineData(12, 4, "r3")]
    public void Assign_ReplicaLeaves_MovesOnlyItsShards(int shards, int replicas, string gone)
    {
        var before = ShardAssignment.Assign(shards, Replicas(replicas), Nobody);
        var live = Replicas(replicas).Where(r => r != gone).ToList();

        var after = ShardAssignment.Assign(shards, live, Holders(before));

        AssertBalanced(shards, live, after);
        Assert.All(Enumerable.Range(0, shards), s => Assert.True(before[s] == gone || before[s] == after[s], $"shard {s} moved from {before[s]}, which stayed"));
    }

    [Fact]
    public void Assign_HoldersNotLive_AreIgnored()
    {
        var after = ShardAssignment.Assign(3, ["a", "b"], new Dictionary<int, string> { [0] = "dead", [1] = "dead", [2] = "dead" });

        Assert.DoesNotContain("dead", after.Values);
        AssertBalanced(3, ["a", "b"], after);
    }

    [Fact]
    public void Assign_OneReplicaHoldingEverything_GivesUpOnlyItsSurplus()
    {
        var all = Enumerable.Range(0, 6).ToDictionary(s => s, _ => "a");

        var after = ShardAssignment.Assign(6, ["a", "b", "c"], all);

        Assert.Equal(2, after.Values.Count(r => r == "a"));
        AssertBalanced(6, ["a", "b", "c"], after);
    }

    [Fact]
    public void ShardOf_ManyNames_SpreadEvenly()
    {
        var counts = Enumerable.Range(0, 300).GroupBy(i => ShardAssignment.ShardOf($"app-{i}", 3)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal([0, 1, 2], counts.Keys.Order());
        Assert.All(counts.Values, c => Assert.InRange(c, 70, 130));
        Assert.Equal(0, ShardAssignment.ShardOf("anything", 1));
    }

    [Fact]
    public void ShardOf_KnownValues_NeverChange()
    {
        // string.GetHashCode differs per process; replicas of two releases running side by side during a rollout must agree on every target's shard.
        // The values are this hash's as first released; a change of them is a breaking change of the config contract.
        Assert.Equal(
            Pinned,
            new[] { ShardAssignment.ShardOf("app-0", 3), ShardAssignment.ShardOf("app-1", 3), ShardAssignment.ShardOf("app-2", 3), ShardAssignment.ShardOf("django", 7) });
    }

    private static readonly int[] Pinned = [1, 1, 0, 1];

    private static List<string> Replicas(int count) => [.. Enumerable.Range(0, count).Select(i => $"r{i}")];

    private static Dictionary<int, string> Holders(IReadOnlyDictionary<int, string> assigned) => assigned.ToDictionary(p => p.Key, p => p.Value);

    private static void AssertBalanced(int shards, IReadOnlyCollection<string> live, IReadOnlyDictionary<int, string> assigned)
    {
        Assert.All(assigned.Values, r => Assert.Contains(r, live));
        foreach (var r in live)
        {
            Assert.InRange(assigned.Values.Count(v => v == r), shards / live.Count, (shards + live.Count - 1) / live.Count);
        }
    }
}
