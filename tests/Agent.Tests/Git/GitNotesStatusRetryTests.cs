using GitOps.Agent.Git;

namespace GitOps.Agent.Tests.Git;

/// <summary>The retry budget, its backoff, and the guarded update of a notes ref in a local remote.</summary>
public sealed class GitNotesStatusRetryTests : IDisposable
{
    private readonly RemoteRepository repo = new();
    private readonly TempFolder caches = new();

    public void Dispose()
    {
        repo.Dispose();
        caches.Dispose();
    }

    [Theory]
    [InlineData(1, 1.0, 50)]
    [InlineData(2, 1.0, 100)]
    [InlineData(3, 1.0, 200)]
    [InlineData(6, 1.0, 1600)]
    [InlineData(7, 1.0, 2000)]
    [InlineData(40, 1.0, 2000)]
    [InlineData(3, 0.5, 100)]
    [InlineData(3, 0.0, 0)]
    public void BackoffDelay_Retry_IsJitterTimesTheDoublingCappedCeiling(int retry, double jitter, int expectedMs)
    {
        var store = new GitNotesStatus(caches.Path) { Jitter = () => jitter };

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), store.BackoffDelay(retry));
    }

    [Fact]
    public async Task Write_LostRace_WaitsTheJitteredBackoffOnTheInjectedClockAndHonoursCancellation()
    {
        var sha = repo.Write("a.yaml", "a").Commit("one");
        using var cts = new CancellationTokenSource();
        var clock = new StalledTimeProvider(cts.Cancel);
        var prod = new GitNotesStatus(caches.Combine("prod"), time: clock) { Jitter = () => 0.5 };
        prod.BeforePush = () => Agent("staging").WriteAsync(Spec(), sha, StatusNoteTests.Entry("staging"), CancellationToken.None).GetAwaiter().GetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => prod.WriteAsync(Spec(), sha, StatusNoteTests.Entry("prod"), cts.Token));

        // One lost race, then one wait of half the first ceiling (50 ms) that cancellation cut short.
        Assert.Equal([TimeSpan.FromMilliseconds(25)], clock.Delays);
        Assert.DoesNotContain("prod/django", repo.RemoteGit("notes", "--ref=gitops", "show", sha), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_OverwrittenRightAfterItsSwap_SeesItWhenReadingBackAndWritesAgain()
    {
        var sha = repo.Write("a.yaml", "a").Commit("one");
        await Agent("staging").WriteAsync(Spec(), sha, StatusNoteTests.Entry("staging"), CancellationToken.None);
        var stagingOnly = repo.RemoteGit("rev-parse", GitNotesStatus.NotesRef);
        var prod = Agent("prod");
        var swaps = 0;
        prod.AfterPush = () =>
        {
            // A writer that does not compare (a force push, an older agent) puts back what it read.
            if (++swaps == 1)
            {
                repo.RemoteGit("update-ref", GitNotesStatus.NotesRef, stagingOnly);
            }
        };

        await prod.WriteAsync(Spec(), sha, StatusNoteTests.Entry("prod"), CancellationToken.None);

        Assert.Equal(2, swaps);
        Assert.Equal(stagingOnly, repo.RemoteGit("rev-parse", $"{GitNotesStatus.NotesRef}^"));
        Assert.Contains("prod/django: Synced", repo.RemoteGit("notes", "--ref=gitops", "show", sha), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_LaterEntryOfTheSameTargetOnTopOfOurs_CountsAsWrittenAndIsKept()
    {
        var sha = repo.Write("a.yaml", "a").Commit("one");
        var first = Agent("prod-a");
        first.AfterPush = () => Agent("prod-b").WriteAsync(Spec(), sha, StatusNoteTests.Entry("prod", phase: "Failed"), CancellationToken.None).GetAwaiter().GetResult();

        await first.WriteAsync(Spec(), sha, StatusNoteTests.Entry("prod", phase: "Progressing"), CancellationToken.None);

        // The second write was based on the first, so the first is in history: last writer wins.
        Assert.Contains("prod/django: Failed", repo.RemoteGit("notes", "--ref=gitops", "show", sha), StringComparison.Ordinal);
        Assert.Equal("2", repo.RemoteGit("rev-list", "--count", GitNotesStatus.NotesRef));
    }

    [Fact]
    public async Task Write_NotesRefLockedInLocalRemote_FailsNamingTheLockAndLeavesIt()
    {
        var sha = repo.Write("a.yaml", "a").Commit("one");
        await Agent("staging").WriteAsync(Spec(), sha, StatusNoteTests.Entry("staging"), CancellationToken.None);
        var before = repo.RemoteGit("rev-parse", GitNotesStatus.NotesRef);
        var lockFile = Path.Combine(repo.BarePath, "refs", "notes", "gitops.lock");
        File.WriteAllText(lockFile, string.Empty);
        var prod = new GitNotesStatus(caches.Combine("prod"), new GitOptions { MaxPushAttempts = 2 }) { Jitter = () => 0 };

        var ex = await Assert.ThrowsAsync<GitSourceException>(() => prod.WriteAsync(Spec(), sha, StatusNoteTests.Entry("prod"), CancellationToken.None));

        Assert.Contains("rejected 2 times", ex.Message, StringComparison.Ordinal);
        Assert.Contains("gitops.lock", ex.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(lockFile), "another writer's lock must not be removed");
        Assert.Equal(before, repo.RemoteGit("rev-parse", GitNotesStatus.NotesRef));
    }

    [Fact]
    public async Task Write_NotesRefOnlyInPackedRefs_UpdatesItOnTopAndGitSeesIt()
    {
        var sha = repo.Write("a.yaml", "a").Commit("one");
        await Agent("staging").WriteAsync(Spec(), sha, StatusNoteTests.Entry("staging"), CancellationToken.None);
        var packed = repo.RemoteGit("rev-parse", GitNotesStatus.NotesRef);
        repo.RemoteGit("pack-refs", "--all");
        Assert.False(File.Exists(Path.Combine(repo.BarePath, "refs", "notes", "gitops")));

        await Agent("prod").WriteAsync(Spec(), sha, StatusNoteTests.Entry("prod"), CancellationToken.None);

        Assert.Equal(packed, repo.RemoteGit("rev-parse", $"{GitNotesStatus.NotesRef}^"));
        var note = repo.RemoteGit("notes", "--ref=gitops", "show", sha);
        Assert.Contains("prod/django: Synced", note, StringComparison.Ordinal);
        Assert.Contains("staging/django: Synced", note, StringComparison.Ordinal);
        repo.RemoteGit("fsck", "--no-dangling");
    }

    private GitNotesStatus Agent(string cluster) => new(caches.Combine(cluster));

    private GitSourceSpec Spec() => new($"file://{repo.BarePath}", "main", string.Empty);

    /// <summary>A clock whose timers never fire: records each wait and calls back when one starts.</summary>
    private sealed class StalledTimeProvider(Action onWait) : TimeProvider
    {
        public List<TimeSpan> Delays { get; } = [];

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Delays.Add(dueTime);
            onWait();
            return new NeverTimer();
        }

        private sealed class NeverTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
