using GitOps.Agent.Hosting;

namespace GitOps.Agent.Tests.Hosting;

public sealed class PassPoolTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task EnterAsync_AllSlotsHeld_WaitsUntilOneIsReleased()
    {
        var pool = new PassPool(2);
        var a = await pool.EnterAsync(PassUrgency.Routine, CancellationToken.None);
        using var b = await pool.EnterAsync(PassUrgency.Routine, CancellationToken.None);

        var third = pool.EnterAsync(PassUrgency.Routine, CancellationToken.None);
        Assert.False(third.IsCompleted);
        Assert.Equal(1, pool.Waiting);

        a.Dispose();
        using var c = await third.WaitAsync(Patience);
        Assert.Equal(0, pool.Waiting);
    }

    [Fact]
    public async Task EnterAsync_TriggeredAndRoutineWaiting_TriggeredFirstThenFirstComeFirstServed()
    {
        var pool = new PassPool(1);
        var held = await pool.EnterAsync(PassUrgency.Routine, CancellationToken.None);
        var order = new List<string>();
        var routine1 = Enter(pool, PassUrgency.Routine, "routine-1", order);
        var routine2 = Enter(pool, PassUrgency.Routine, "routine-2", order);
        var triggered1 = Enter(pool, PassUrgency.Triggered, "triggered-1", order);
        var triggered2 = Enter(pool, PassUrgency.Triggered, "triggered-2", order);

        held.Dispose();
        await Task.WhenAll(routine1, routine2, triggered1, triggered2).WaitAsync(Patience);

        Assert.Equal(["triggered-1", "triggered-2", "routine-1", "routine-2"], order);
    }

    [Fact]
    public async Task EnterAsync_WaiterCancelled_ItsTurnGoesToTheNext()
    {
        var pool = new PassPool(1);
        var held = await pool.EnterAsync(PassUrgency.Routine, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var gaveUp = pool.EnterAsync(PassUrgency.Triggered, cancel.Token);
        var next = pool.EnterAsync(PassUrgency.Routine, CancellationToken.None);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gaveUp);
        held.Dispose();

        using var slot = await next.WaitAsync(Patience);
        Assert.Equal(0, pool.Waiting);
    }

    [Fact]
    public async Task Dispose_Twice_ReleasesOneSlotOnly()
    {
        var pool = new PassPool(1);
        var slot = await pool.EnterAsync(PassUrgency.Routine, CancellationToken.None);
        slot.Dispose();
        slot.Dispose();

        using var again = await pool.EnterAsync(PassUrgency.Routine, CancellationToken.None);
        var waiting = pool.EnterAsync(PassUrgency.Routine, CancellationToken.None);

        Assert.False(waiting.IsCompleted);
    }

    private static async Task Enter(PassPool pool, PassUrgency urgency, string name, List<string> order)
    {
        using var slot = await pool.EnterAsync(urgency, CancellationToken.None);
        lock (order)
        {
            order.Add(name);
        }
    }
}
