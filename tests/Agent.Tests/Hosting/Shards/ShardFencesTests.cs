using GitOps.Agent.Hosting.Shards;
using GitOps.Agent.Kube;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Agent.Tests.Hosting.Shards;

/// <summary>A write is fenced by the Lease of the shard its work belongs to, and by no other.</summary>
public sealed class ShardFencesTests
{
    private readonly FakeTimeProvider clock = new();

    [Fact]
    public async Task EnsureHeld_InsideAShardsWork_ChecksThatShardOnly()
    {
        var fences = new ShardFences(3, TimeSpan.FromSeconds(10), clock);
        fences[1].Renewed(clock.GetTimestamp());

        Task work;
        using (fences.Enter(1))
        {
            work = Task.Run(async () =>
            {
                await Task.Yield(); // the shard flows through awaits into the work started inside the scope
                fences.EnsureHeld();
            });
        }

        await work;
        using (fences.Enter(2))
        {
            Assert.Throws<FenceLostException>(fences.EnsureHeld); // shard 2 is not ours
        }
    }

    [Fact]
    public void EnsureHeld_OutsideAnyShard_Refuses()
    {
        var fences = new ShardFences(2, TimeSpan.FromSeconds(10), clock);
        fences[0].Renewed(clock.GetTimestamp());
        fences[1].Renewed(clock.GetTimestamp());

        var error = Assert.Throws<FenceLostException>(fences.EnsureHeld);

        Assert.Contains("no shard", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureHeld_ShardPausedPastItsDeadline_ThrowsAndEndsItsTerm()
    {
        var fences = new ShardFences(2, TimeSpan.FromSeconds(10), clock);
        fences[0].Renewed(clock.GetTimestamp());
        var lost = 0;
        fences[0].Lost += () => lost++;
        clock.Advance(TimeSpan.FromSeconds(11));

        using (fences.Enter(0))
        {
            Assert.Throws<FenceLostException>(fences.EnsureHeld);
        }

        Assert.Equal(1, lost);
    }

    [Fact]
    public void EnsureHeldFor_ABatchWithOneTargetOfALostShard_Refuses()
    {
        var fences = new ShardFences(3, TimeSpan.FromSeconds(10), clock);
        var names = Enumerable.Range(0, 30).Select(i => $"t{i}").ToList();
        var held = ShardAssignment.ShardOf(names[0], 3);
        fences[held].Renewed(clock.GetTimestamp());
        var other = names.First(n => ShardAssignment.ShardOf(n, 3) != held);

        fences.EnsureHeldFor(names.Where(n => ShardAssignment.ShardOf(n, 3) == held));
        Assert.Throws<FenceLostException>(() => fences.EnsureHeldFor([names[0], other]));
    }
}
