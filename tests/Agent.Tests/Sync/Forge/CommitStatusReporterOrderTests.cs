using GitOps.Agent.Git;
using GitOps.Agent.Kube;
using GitOps.Agent.Sync;
using GitOps.Agent.Sync.Forge;
using GitOps.Agent.Tests.Git;
using GitOps.Diff.Health;
using GitOps.TestSupport.Forge;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Agent.Tests.Sync.Forge;

/// <summary>
/// The pending status is posted while the pass applies, not before it goes on: a slow forge holds
/// no pass, and the commit's statuses still reach the forge in order (pending, then the outcome).
/// </summary>
public sealed class CommitStatusReporterOrderTests : IDisposable
{
    private static readonly string Commit = new('a', 40);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly TempFolder folder = new();
    private readonly FakeTimeProvider clock = new();
    private readonly PassContext pass = new(new SyncTarget("app"), new GitSourceSpec("https://git.example.com/r.git", "main", "."), Commit);

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task ProgressingAsync_ForgeSlowToAnswer_ReturnsAtOnce()
    {
        await using var forge = await FakeForge.StartAsync(ForgeProvider.GitHub);
        forge.Answer(SlowDown(seconds: 3)); // the pending post waits 3 s (on the fake clock) before it lists again
        var reporter = Reporter(forge);

        var progressing = reporter.ProgressingAsync(pass, CancellationToken.None);

        Assert.True(progressing.IsCompletedSuccessfully);
        await WithClockAsync(reporter.FinishedAsync(pass, Synced(), infrastructure: false, CancellationToken.None));
        Assert.Equal(["pending", "success"], forge.Posts.Select(p => p.Field("state")));
    }

    [Fact]
    public async Task FinishedAsync_PendingPostStillInFlight_PostsTheOutcomeOnlyAfterIt()
    {
        await using var forge = await FakeForge.StartAsync(ForgeProvider.GitHub);
        forge.Answer(SlowDown(seconds: 3));
        var reporter = Reporter(forge);
        Assert.True(reporter.ProgressingAsync(pass, CancellationToken.None).IsCompletedSuccessfully);

        var finished = reporter.FinishedAsync(pass, Synced(), infrastructure: false, CancellationToken.None);
        await Task.Delay(TimeSpan.FromMilliseconds(300)); // time enough to post, were it not waiting

        Assert.False(finished.IsCompleted);
        Assert.Empty(forge.Posts);
        await WithClockAsync(finished);
        Assert.Equal(["pending", "success"], forge.Posts.Select(p => p.Field("state")));
        Assert.Equal("success", forge.Posts.Last().Field("state")); // the forge shows the outcome, not a late pending
    }

    [Fact]
    public async Task FinishedAsync_PendingPostFailed_PostsTheOutcomeAndThrowsTheFailure()
    {
        await using var forge = await FakeForge.StartAsync(ForgeProvider.GitHub);
        forge.Answer(new ForgeAnswer("GET", 401, """{"message":"Bad credentials"}"""));
        var reporter = Reporter(forge);
        await reporter.ProgressingAsync(pass, CancellationToken.None);

        var error = await Assert.ThrowsAsync<ForgeException>(() => reporter.FinishedAsync(pass, Synced(), infrastructure: false, CancellationToken.None));

        Assert.Contains("Bad credentials", error.Message, StringComparison.Ordinal);
        Assert.Equal("success", Assert.Single(forge.Posts).Field("state"));
    }

    [Fact]
    public async Task ProgressingAsync_FenceLost_ThrowsAtOnceAndSendsNothing()
    {
        await using var forge = await FakeForge.StartAsync(ForgeProvider.GitHub);
        var reporter = Reporter(forge, new LostFence());

        Assert.Throws<FenceLostException>(() => { _ = reporter.ProgressingAsync(pass, CancellationToken.None); }); // thrown, not a faulted task

        await Task.Delay(TimeSpan.FromMilliseconds(200));
        Assert.Empty(forge.Requests);
    }

    [Fact]
    public async Task FinishedAsync_FenceLostWhilePendingWasInFlight_ThrowsItAndPostsNoOutcome()
    {
        await using var forge = await FakeForge.StartAsync(ForgeProvider.GitHub);
        var fence = new SwitchFence();
        forge.Answer(SlowDown(seconds: 3));
        var reporter = Reporter(forge, fence);
        Assert.True(reporter.ProgressingAsync(pass, CancellationToken.None).IsCompletedSuccessfully);
        fence.Lost = true; // the pending post finds the fence down when it is about to post

        await Assert.ThrowsAsync<FenceLostException>(() => WithClockAsync(reporter.FinishedAsync(pass, Synced(), infrastructure: false, CancellationToken.None)));

        Assert.Empty(forge.Posts);
    }

    private static ForgeAnswer SlowDown(int seconds) =>
        new("GET", 429, """{"message":"slow down"}""", new Dictionary<string, string> { ["Retry-After"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    private CommitStatusReporter Reporter(FakeForge forge, IWriteFence? fence = null)
    {
        var token = folder.Combine("token");
        File.WriteAllText(token, "s3cr3t\n");
        var config = new CommitStatusConfig(ForgeProvider.GitHub, new Uri(forge.Url), "owner/repo", token);
        return new CommitStatusReporter(Http, "prod", null, new Dictionary<string, CommitStatusConfig> { ["app"] = config }, clock, fence ?? WriteFence.None);
    }

    /// <summary>Moves the fake clock on while <paramref name="task"/> waits on it (a Retry-After).</summary>
    private async Task WithClockAsync(Task task)
    {
        while (!task.IsCompleted)
        {
            await Task.WhenAny(task, Task.Delay(20));
            clock.Advance(TimeSpan.FromMilliseconds(250));
        }

        await task;
    }

    private static SyncResult Synced() => new(Commit, "app", SyncPhase.Synced, HealthStatus.Healthy, "synced", []);

    private sealed class LostFence : IWriteFence
    {
        public void EnsureHeld() => throw new FenceLostException("not writing: test");
    }

    private sealed class SwitchFence : IWriteFence
    {
        public volatile bool Lost;

        public void EnsureHeld()
        {
            if (Lost)
            {
                throw new FenceLostException("not writing: test");
            }
        }
    }
}
