namespace GitOps.Agent.Tests.Hosting;

/// <summary>A health wait on the fake clock: a new commit (seen by ls-remote or announced) preempts it; the commit it waits for does not.</summary>
public sealed partial class TargetWorkerTests
{
    [Fact]
    public async Task RunAsync_NewCommitDuringHealthWait_PreemptsTheWait()
    {
        passes.HangUntilPreempted = true;
        Start(interval: TimeSpan.FromSeconds(10), timeout: TimeSpan.FromMinutes(5));
        await NextPassAsync();
        await AdvanceAsync(TimeSpan.FromSeconds(15));
        passes.HangUntilPreempted = false;

        git.Head = new string('d', 40);
        var next = await NextPassAsync();

        Assert.InRange(next.At, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(20) + Slack); // the wait ends at the next look at git
    }

    [Fact]
    public async Task RunAsync_HealthWaitOfANewCommit_IsNotPreemptedByItself()
    {
        Start(interval: TimeSpan.FromSeconds(10), timeout: TimeSpan.FromMinutes(5));
        await NextPassAsync(); // commit a, synced
        passes.HangUntilPreempted = true;
        git.Head = new string('b', 40);
        await NextPassAsync(); // commit b: its health wait begins

        await AdvanceAsync(TimeSpan.FromSeconds(45)); // four looks at git, all seeing b

        Assert.Equal(0, passes.Preemptions);
        Assert.False(passes.Runs.TryRead(out _));
    }

    [Fact]
    public async Task Announce_OfTheCommitTheHealthWaitIsFor_DoesNotPreemptIt()
    {
        passes.HangUntilPreempted = true;
        var worker = Start(interval: TimeSpan.FromMinutes(1), timeout: TimeSpan.FromMinutes(5));
        await NextPassAsync();

        worker.Announce(); // e.g. another follower's look found the branch at this very commit
        await AdvanceAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(0, passes.Preemptions);
        Assert.False(passes.Runs.TryRead(out _));
    }

    [Fact]
    public async Task Announce_DuringHealthWait_PreemptsAtOnce()
    {
        passes.HangUntilPreempted = true;
        var worker = Start(interval: TimeSpan.FromMinutes(1), timeout: TimeSpan.FromMinutes(5));
        await NextPassAsync();
        await AdvanceAsync(TimeSpan.FromSeconds(3));
        passes.HangUntilPreempted = false;

        git.Head = new string('e', 40);
        worker.Announce();
        var next = await NextPassAsync();

        Assert.InRange(next.At, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3.5) + Slack);
    }
}
