using GitOps.Agent.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Agent.Tests.Hosting;

public sealed class MemoryTrimTests
{
    private readonly FakeTimeProvider clock = new(DateTimeOffset.Parse("2026-12-04T04:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly PassPool pool = new(2);
    private int trimmed;

    private MemoryTrim NewTrim() => new(pool, clock, () => Interlocked.Increment(ref trimmed));

    [Fact]
    public async Task PoolIdleForTheQuietTime_TrimsOnce()
    {
        using var trim = NewTrim();
        (await pool.EnterAsync(PassUrgency.Triggered, CancellationToken.None)).Dispose();

        clock.Advance(MemoryTrim.Quiet - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, trimmed);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, trimmed);
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, trimmed); // at rest: nothing more to give back
        Assert.Equal(1, trim.Trims);
    }

    [Fact]
    public void NoPassEver_NeverTrims()
    {
        using var trim = NewTrim();
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, trimmed);
    }

    [Fact]
    public async Task PassRunningWhenTheTimerFires_WaitsForItsEnd()
    {
        using var trim = NewTrim();
        (await pool.EnterAsync(PassUrgency.Routine, CancellationToken.None)).Dispose();
        var running = await pool.EnterAsync(PassUrgency.Routine, CancellationToken.None);

        clock.Advance(MemoryTrim.Quiet * 3);
        Assert.Equal(0, trimmed); // never in the middle of a pass

        running.Dispose();
        clock.Advance(MemoryTrim.Quiet);
        Assert.Equal(1, trimmed);
    }

    [Fact]
    public async Task OneOfTwoPassesEnds_NotIdleYet()
    {
        using var trim = NewTrim();
        var a = await pool.EnterAsync(PassUrgency.Routine, CancellationToken.None);
        var b = await pool.EnterAsync(PassUrgency.Routine, CancellationToken.None);

        a.Dispose();
        clock.Advance(MemoryTrim.Quiet * 2);
        Assert.Equal(0, trimmed);

        b.Dispose();
        clock.Advance(MemoryTrim.Quiet);
        Assert.Equal(1, trimmed);
    }

    [Fact]
    public async Task SecondBurstSoonAfter_TrimsNoSoonerThanTheSpacing()
    {
        using var trim = NewTrim();
        (await pool.EnterAsync(PassUrgency.Routine, CancellationToken.None)).Dispose();
        clock.Advance(MemoryTrim.Quiet);
        Assert.Equal(1, trimmed);

        (await pool.EnterAsync(PassUrgency.Routine, CancellationToken.None)).Dispose();
        clock.Advance(MemoryTrim.Spacing - TimeSpan.FromMilliseconds(1)); // a minute after the last trim, not 5 s after this burst
        Assert.Equal(1, trimmed);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, trimmed);
    }

    [Fact]
    public void ReturnFreeMemory_OnGlibc_TrimsTheNativeHeapToo()
    {
        MemoryTrim.ReturnFreeMemory();
        Assert.True(NativeHeap.Trim()); // glibc's malloc_trim was found and ran
    }
}
