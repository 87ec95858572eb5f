using GitOps.Agent.Hosting;
using GitOps.Agent.Kube;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Agent.Tests.Hosting;

/// <summary>The fence counts from when a renewal was sent, on the monotonic clock, and goes down for good.</summary>
public sealed class LeaseFenceTests
{
    private readonly FakeTimeProvider clock = new();

    [Fact]
    public void EnsureHeld_NeverRenewed_Throws()
    {
        var fence = new LeaseFence(TimeSpan.FromSeconds(10), clock);

        Assert.Throws<FenceLostException>(fence.EnsureHeld);
    }

    [Fact]
    public void EnsureHeld_WithinTheRenewDeadlineOfTheSendTime_Holds()
    {
        var fence = new LeaseFence(TimeSpan.FromSeconds(10), clock);
        var sent = clock.GetTimestamp();
        clock.Advance(TimeSpan.FromSeconds(3)); // the answer took 3 s: the 10 s still count from the send

        fence.Renewed(sent);
        clock.Advance(TimeSpan.FromSeconds(6.9));

        fence.EnsureHeld();
        Assert.True(fence.Held);
    }

    [Fact]
    public void EnsureHeld_PausedPastTheDeadline_ThrowsRaisesLostOnceAndStaysDown()
    {
        var fence = new LeaseFence(TimeSpan.FromSeconds(10), clock);
        var lost = 0;
        fence.Lost += () => lost++;
        fence.Renewed(clock.GetTimestamp());

        clock.Advance(TimeSpan.FromSeconds(10)); // a SIGSTOP, a frozen VM

        Assert.Throws<FenceLostException>(fence.EnsureHeld);
        Assert.Throws<FenceLostException>(fence.EnsureHeld);
        Assert.Equal(1, lost);
        Assert.False(fence.Held);
    }

    [Fact]
    public void Renewed_AnOlderSendAfterANewerOne_DoesNotMoveTheFenceBack()
    {
        var fence = new LeaseFence(TimeSpan.FromSeconds(10), clock);
        var older = clock.GetTimestamp();
        clock.Advance(TimeSpan.FromSeconds(5));
        fence.Renewed(clock.GetTimestamp());

        fence.Renewed(older);
        clock.Advance(TimeSpan.FromSeconds(8));

        Assert.True(fence.Held);
    }

    [Fact]
    public void Revoke_WhileHeld_TakesItDownAtOnce()
    {
        var fence = new LeaseFence(TimeSpan.FromSeconds(10), clock);
        fence.Renewed(clock.GetTimestamp());

        fence.Revoke();

        Assert.Throws<FenceLostException>(fence.EnsureHeld);
    }
}
