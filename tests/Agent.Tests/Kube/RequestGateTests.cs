using GitOps.Agent.Kube;

namespace GitOps.Agent.Tests.Kube;

public sealed class RequestGateTests
{
    [Fact]
    public async Task EnterAsync_ManyCallersAtOnce_NeverMoreInFlightThanTheLimit()
    {
        using var gate = new RequestGate(4);
        var inFlight = 0;
        var most = 0;
        var release = new TaskCompletionSource();

        var callers = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            using var slot = await gate.EnterAsync(CancellationToken.None);
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref most, now);
            await release.Task;
            Interlocked.Decrement(ref inFlight);
        })).ToList();

        await WaitUntilAsync(() => Volatile.Read(ref inFlight) == 4);
        await Task.Delay(50); // a fifth caller would have got in by now
        Assert.Equal(4, Volatile.Read(ref inFlight));
        release.SetResult();
        await Task.WhenAll(callers);

        Assert.Equal(4, most);
        Assert.Equal(4, gate.Peak);
    }

    [Fact]
    public async Task EnterAsync_CancelledWhileWaiting_ThrowsAndTakesNoSlot()
    {
        using var gate = new RequestGate(1);
        var held = await gate.EnterAsync(CancellationToken.None);
        using var cts = new CancellationTokenSource();

        var waiting = gate.EnterAsync(cts.Token);
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        held.Dispose();
        using var next = await gate.EnterAsync(new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token); // the one slot is free again
        Assert.Equal(1, gate.Peak);
    }

    [Fact]
    public async Task Slot_DisposedTwice_GivesBackOneSlot()
    {
        using var gate = new RequestGate(1);
        var slot = await gate.EnterAsync(CancellationToken.None);
        slot.Dispose();
        slot.Dispose();

        using var first = await gate.EnterAsync(CancellationToken.None);
        var second = gate.EnterAsync(CancellationToken.None);
        await Task.Delay(50);

        Assert.False(second.IsCompleted); // a second Dispose must not have made room for two
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen)
            {
                return;
            }
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 10 s");
            await Task.Delay(5);
        }
    }
}
