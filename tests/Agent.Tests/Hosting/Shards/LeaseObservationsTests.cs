using GitOps.Agent.Hosting.Shards;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Agent.Tests.Hosting.Shards;

/// <summary>Liveness is judged by when a Lease was seen changing on this replica's clock, never by the writer's clock.</summary>
public sealed class LeaseObservationsTests
{
    private readonly FakeTimeProvider clock = new();

    [Fact]
    public void Fresh_SeenForTheFirstTime_CountsAsJustRenewed()
    {
        var seen = new LeaseObservations(TimeSpan.FromSeconds(15), clock);

        seen.Observe([("a", "1")]);
        clock.Advance(TimeSpan.FromSeconds(14));

        Assert.True(seen.Fresh("a"));
        Assert.False(seen.Fresh("never-listed"));
    }

    [Fact]
    public void Fresh_UnchangedForALeaseDuration_Expires()
    {
        var seen = new LeaseObservations(TimeSpan.FromSeconds(15), clock);
        seen.Observe([("a", "1")]);

        clock.Advance(TimeSpan.FromSeconds(10));
        seen.Observe([("a", "1")]); // listed again, not renewed
        clock.Advance(TimeSpan.FromSeconds(5));

        Assert.False(seen.Fresh("a"));
    }

    [Fact]
    public void Fresh_RenewedMeanwhile_CountsFromTheChange()
    {
        var seen = new LeaseObservations(TimeSpan.FromSeconds(15), clock);
        seen.Observe([("a", "1")]);

        clock.Advance(TimeSpan.FromSeconds(10));
        seen.Observe([("a", "2")]);
        clock.Advance(TimeSpan.FromSeconds(14));

        Assert.True(seen.Fresh("a"));
    }

    [Fact]
    public void Observe_ALeaseDeleted_IsForgotten()
    {
        var seen = new LeaseObservations(TimeSpan.FromSeconds(15), clock);
        seen.Observe([("a", "1"), ("b", "1")]);

        seen.Observe([("b", "1")]);

        Assert.False(seen.Fresh("a"));
        Assert.True(seen.Fresh("b"));
    }
}
