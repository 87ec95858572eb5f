using GitOps.Agent.Hosting;
using GitOps.Agent.Sync;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Agent.Tests.Hosting;

/// <summary>
/// When a target's passes run, on a fake clock: time only moves when the test moves it, so
/// every schedule below is exact (to the 100 ms step the clock is advanced by) and no test sleeps.
/// Health waits and what preempts them are in TargetWorkerTests.HealthWait.cs.
/// </summary>
public sealed partial class TargetWorkerTests : IDisposable
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How late a pass may start against its schedule: a timer is set when the worker's task gets a
    /// thread, which on a loaded machine can be a few steps of fake time after the clock moved.
    /// Every bound below stays far from what a wrong schedule would give.
    /// </summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(1);
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero));
    private readonly ScriptedGit git;
    private readonly ScriptedPasses passes;
    private readonly CancellationTokenSource leading = new();
    private readonly AgentMetrics metrics;

    public TargetWorkerTests()
    {
        git = new ScriptedGit(clock);
        passes = new ScriptedPasses(clock, git.Start);
        metrics = new AgentMetrics(new GitOps.Agent.Kube.RequestCounter(), clock);
    }

    private static WorkerOptions Options => new() { Jitter = 0, BackoffInitial = TimeSpan.FromSeconds(2), BackoffMax = TimeSpan.FromSeconds(30), ResyncPeriod = TimeSpan.FromMinutes(2) };

    private TargetWorker Start(TimeSpan? interval = null, TimeSpan? timeout = null)
    {
        var target = new TargetConfig("app", "https://git.example.com/r.git") { Interval = interval ?? TimeSpan.FromSeconds(10), Timeout = timeout };
        var config = AgentConfig.Default([target]) with { Worker = Options };
        var services = new WorkerServices(passes, git, metrics, new AgentReadiness(), clock) { Random = () => 0.5 };
        var worker = new TargetWorker(target, config, services, NullLogger<TargetWorker>.Instance);
        _ = Task.Run(() => worker.RunAsync(leading.Token));
        return worker;
    }

    [Fact]
    public async Task RunAsync_SteadyState_LooksAtGitEveryIntervalAndPassesOnlyAtResync()
    {
        Start();
        Assert.Equal(TimeSpan.Zero, (await NextPassAsync()).At);

        var resync = await NextPassAsync(TimeSpan.FromMinutes(3));

        Assert.InRange(resync.At, TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(10) + Slack);
        Assert.InRange(git.LsRemotes.Count, 12, 14); // one ls-remote per 10 s interval, no more
    }

    [Fact]
    public async Task RunAsync_TwoTargetsOfOneBranch_ShareOneLsRemotePerInterval()
    {
        var services = new WorkerServices(passes, git, metrics, new AgentReadiness(), clock) { Random = () => 0.5 };
        foreach (var name in new[] { "a", "b" })
        {
            var target = new TargetConfig(name, "https://git.example.com/r.git") { Interval = TimeSpan.FromSeconds(10) };
            var worker = new TargetWorker(target, AgentConfig.Default([target]) with { Worker = Options }, services, NullLogger<TargetWorker>.Instance);
            _ = Task.Run(() => worker.RunAsync(leading.Token));
        }

        await NextPassAsync();
        await NextPassAsync();
        await AdvanceAsync(TimeSpan.FromSeconds(60));

        Assert.InRange(git.LsRemotes.Count, 6, 8); // one per 10 s interval for both, where each alone would make 6
    }

    [Fact]
    public async Task RunAsync_NewCommit_IsSyncedAtTheNextInterval()
    {
        Start();
        await NextPassAsync();
        git.Head = new string('b', 40);

        var next = await NextPassAsync();

        Assert.InRange(next.At, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10) + Slack);
        Assert.Null(next.Request.Known); // a new commit is fetched, not taken from memory
    }

    [Fact]
    public async Task RunAsync_JitteredIntervalShorterThanTheLastLook_LooksAgainAndSeesTheNewCommit()
    {
        var target = new TargetConfig("app", "https://git.example.com/r.git") { Interval = TimeSpan.FromSeconds(10) };
        var config = AgentConfig.Default([target]) with { Worker = Options with { Jitter = 0.1 } };
        var services = new WorkerServices(passes, git, metrics, new AgentReadiness(), clock) { Random = () => 0 }; // every wait 9 s
        _ = Task.Run(() => new TargetWorker(target, config, services, NullLogger<TargetWorker>.Instance).RunAsync(leading.Token));
        await NextPassAsync();
        git.Head = new string('b', 40);

        var next = await NextPassAsync();

        // Its own look at 0 s is younger than an interval at 9 s, but it must not stand in for a new one.
        Assert.InRange(next.At, TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(9) + Slack);
    }

    [Fact]
    public async Task RunAsync_JitteredIntervalAtItsLongest_LooksAtGitWithinTheUpperBound()
    {
        var target = new TargetConfig("app", "https://git.example.com/r.git") { Interval = TimeSpan.FromSeconds(10) };
        var config = AgentConfig.Default([target]) with { Worker = Options with { Jitter = 0.1 } };
        var services = new WorkerServices(passes, git, metrics, new AgentReadiness(), clock) { Random = () => 0.999 }; // the longest wait: 11 s
        _ = Task.Run(() => new TargetWorker(target, config, services, NullLogger<TargetWorker>.Instance).RunAsync(leading.Token));
        await NextPassAsync();
        git.Head = new string('b', 40);

        var next = await NextPassAsync();

        Assert.InRange(next.At, TimeSpan.FromSeconds(10.9), TimeSpan.FromSeconds(11) + Slack); // interval + 10 %, not the bare interval
    }

    [Fact]
    public async Task RunAsync_Failures_BackOffExponentiallyUpToTheBound()
    {
        passes.Phase = SyncPhase.Failed;
        Start(interval: TimeSpan.FromMinutes(1));
        var times = new List<TimeSpan>();
        for (var i = 0; i < 6; i++)
        {
            times.Add((await NextPassAsync(TimeSpan.FromMinutes(2))).At);
        }

        var gaps = times.Zip(times.Skip(1), (a, b) => (b - a).TotalSeconds).ToList();
        Assert.All(gaps.Zip([2.0, 4, 8, 16, 30]), g => Assert.InRange(g.First, g.Second, g.Second + Slack.TotalSeconds));
    }

    [Fact]
    public async Task RunAsync_NewCommitDuringBackoff_CutsTheBackoffShort()
    {
        passes.Phase = SyncPhase.Failed;
        var worker = Start(interval: TimeSpan.FromSeconds(10));
        for (var i = 0; i < 4; i++)
        {
            await NextPassAsync(); // 0, 2, 6, 14 s: the next wait is 16 s
        }

        passes.Phase = SyncPhase.Synced;
        git.Head = new string('c', 40);
        var fix = await NextPassAsync();

        Assert.InRange(fix.At, TimeSpan.FromSeconds(24), TimeSpan.FromSeconds(24) + Slack); // the first ls-remote of the backoff sees it
        Assert.Equal("app", worker.Name);
    }

    [Fact]
    public async Task Announce_DuringBackoff_CutsTheBackoffShort()
    {
        passes.Phase = SyncPhase.Failed;
        var worker = Start(interval: TimeSpan.FromMinutes(1));
        for (var i = 0; i < 4; i++)
        {
            await NextPassAsync(); // 0, 2, 6, 14 s: the next wait is 16 s, and no ls-remote before 30 s
        }

        await AdvanceAsync(TimeSpan.FromSeconds(3));
        passes.Phase = SyncPhase.Synced;
        git.Head = new string('c', 40);
        worker.Announce(); // a webhook: the fix was pushed
        var fix = await NextPassAsync();

        Assert.InRange(fix.At, TimeSpan.FromSeconds(17.1), TimeSpan.FromSeconds(17.1) + Slack);
        Assert.Null(fix.Request.Known); // the announced commit is fetched
    }

    [Fact]
    public async Task Trigger_DuringTheInterval_PassesAfterTheEventsSettle()
    {
        var worker = Start(interval: TimeSpan.FromMinutes(1));
        await NextPassAsync();
        await AdvanceAsync(TimeSpan.FromSeconds(5));

        worker.Trigger();
        var healed = await NextPassAsync();

        Assert.InRange(healed.At, TimeSpan.FromSeconds(5.5), TimeSpan.FromSeconds(5.5) + Slack);
        Assert.NotNull(healed.Request.Known); // same commit: no fetch, no tree read
    }

    [Fact]
    public async Task Announce_DuringTheInterval_PassesAfterTheShortSettleAndFetches()
    {
        var worker = Start(interval: TimeSpan.FromMinutes(1));
        await NextPassAsync();
        await AdvanceAsync(TimeSpan.FromSeconds(5));

        git.Head = new string('f', 40);
        worker.Announce();
        var pushed = await NextPassAsync();

        Assert.InRange(pushed.At, TimeSpan.FromSeconds(5.1), TimeSpan.FromSeconds(5.1) + Slack);
        Assert.Null(pushed.Request.Known); // the agent reads the new commit itself
    }

    [Fact]
    public async Task RunAsync_GitDown_StillCorrectsDriftFromTheLastCommit()
    {
        var worker = Start(interval: TimeSpan.FromSeconds(10));
        var first = await NextPassAsync();
        git.Down = true;
        await AdvanceAsync(TimeSpan.FromSeconds(12));

        worker.Trigger(); // a member was edited by hand
        var heal = await NextPassAsync();

        Assert.Equal(first.Request.Known?.CommitSha ?? new string('a', 40), heal.Request.Known!.CommitSha);
        Assert.Contains("gitops_reachable{dependency=\"git\",target=\"app\"} 0", metrics.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_LeadershipLost_StopsPassing()
    {
        var worker = Start();
        await NextPassAsync();

        await leading.CancelAsync();
        worker.Trigger();
        await AdvanceAsync(TimeSpan.FromMinutes(5));

        Assert.False(passes.Runs.TryRead(out _));
    }

    [Fact]
    public void Backoff_Failures_DoublesFromInitialAndStopsAtMax()
    {
        var target = new TargetConfig("app", "https://git.example.com/r.git");
        var worker = new TargetWorker(target, AgentConfig.Default([target]) with { Worker = Options }, new WorkerServices(passes, git, metrics, new AgentReadiness(), clock), NullLogger<TargetWorker>.Instance);

        Assert.Equal([2, 4, 8, 16, 30, 30], new[] { 1, 2, 3, 4, 5, 40 }.Select(n => worker.Backoff(n).TotalSeconds));
    }

    /// <summary>Moves the fake clock in small steps until the worker's next pass starts.</summary>
    private async Task<(TimeSpan At, PassRequest Request)> NextPassAsync(TimeSpan? within = null)
    {
        var limit = clock.GetUtcNow() + (within ?? TimeSpan.FromMinutes(1));
        var next = passes.Runs.ReadAsync().AsTask();
        while (!next.IsCompleted)
        {
            Assert.True(clock.GetUtcNow() < limit, $"no pass within {(within ?? TimeSpan.FromMinutes(1)).TotalSeconds}s of fake time");
            await Settle();
            if (!next.IsCompleted)
            {
                clock.Advance(Step);
            }
        }

        return await next;
    }

    private async Task AdvanceAsync(TimeSpan by)
    {
        for (var t = TimeSpan.Zero; t < by; t += Step)
        {
            await Settle();
            clock.Advance(Step);
        }

        await Settle();
    }

    /// <summary>Lets the worker's continuations run (they are real tasks on the pool) before time moves on.</summary>
    private static async Task Settle()
    {
        for (var i = 0; i < 5; i++)
        {
            await Task.Yield();
        }

        await Task.Delay(1); // real time only for the pool to run them; the schedule itself is on the fake clock
    }

    public void Dispose()
    {
        leading.Cancel();
        leading.Dispose();
    }
}
