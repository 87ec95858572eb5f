using GitOps.Agent.Git;
using GitOps.Agent.Kube;
using GitOps.Agent.Sync;
using GitOps.Agent.Tests.Git;
using GitOps.Diff.Health;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Agent.Tests.Sync;

/// <summary>
/// The Progressing entry is pushed while the pass applies, never after its outcome: a late
/// Progressing must not replace Synced or Failed, and its failure still reaches the pass.
/// </summary>
public sealed class NoteReporterOrderTests : IDisposable
{
    private static readonly string Commit = new('a', 40);
    private readonly HeldStore held = new();
    private readonly RemoteRepository repo = new();
    private readonly TempFolder cache = new();

    public void Dispose()
    {
        held.Release();
        repo.Dispose();
        cache.Dispose();
    }

    [Fact]
    public async Task ProgressingAsync_PushStillInFlight_ReturnsAtOnce()
    {
        var notes = Reporter(held);

        var progressing = notes.ProgressingAsync(Pass(Commit), CancellationToken.None);

        Assert.True(progressing.IsCompletedSuccessfully);
        Assert.Equal(["Progressing"], held.Calls);
        held.Release();
        await notes.FinishedAsync(Pass(Commit), Synced(Commit), infrastructure: false, CancellationToken.None);
    }

    [Fact]
    public async Task FinishedAsync_StoreKeepsCallOrder_QueuesTheOutcomeBehindTheUnfinishedProgressing()
    {
        held.Ordered = true;
        var notes = Reporter(held);
        await notes.ProgressingAsync(Pass(Commit), CancellationToken.None);

        var finished = notes.FinishedAsync(Pass(Commit), Synced(Commit), infrastructure: false, CancellationToken.None);

        Assert.Equal(["Progressing", "Synced"], held.Calls); // both may share one push, the later winning
        Assert.False(finished.IsCompleted);
        held.Release();
        await finished;
        Assert.Equal("Synced", Assert.Single(held.Inner.EntriesOf(Commit)).Phase);
    }

    [Fact]
    public async Task FinishedAsync_StoreWithoutOrder_WritesTheOutcomeOnlyOnceProgressingIsDone()
    {
        var notes = Reporter(held);
        await notes.ProgressingAsync(Pass(Commit), CancellationToken.None);

        var finished = notes.FinishedAsync(Pass(Commit), Synced(Commit), infrastructure: false, CancellationToken.None);

        Assert.Equal(["Progressing"], held.Calls);
        held.Release();
        await finished;
        Assert.Equal(["Progressing", "Synced"], held.Calls);
        Assert.Equal("Synced", Assert.Single(held.Inner.EntriesOf(Commit)).Phase);
    }

    [Fact]
    public async Task FinishedAsync_ProgressingPushFailed_WritesTheOutcomeAndThrowsTheFailure()
    {
        held.Ordered = true;
        held.FailPhase = "Progressing";
        var notes = Reporter(held);
        await notes.ProgressingAsync(Pass(Commit), CancellationToken.None);
        held.Release();

        var error = await Assert.ThrowsAsync<GitSourceException>(() => notes.FinishedAsync(Pass(Commit), Synced(Commit), infrastructure: false, CancellationToken.None));

        Assert.Contains("push refused", error.Message, StringComparison.Ordinal);
        Assert.Equal("Synced", Assert.Single(held.Inner.EntriesOf(Commit)).Phase);
    }

    [Fact]
    public async Task FinishedAsync_BatchedOnARealRemote_ProgressingInFlightNeverOverwritesSynced()
    {
        var sha = repo.Write("a.yaml", "a").Commit("one");
        using var inFlight = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var pushes = 0;
        var store = new GitNotesStatus(cache.Combine("notes"))
        {
            BeforePush = () =>
            {
                if (Interlocked.Increment(ref pushes) == 1)
                {
                    inFlight.Set();
                    release.Wait(TimeSpan.FromSeconds(30)); // the first push (Progressing alone) is slow
                }
            },
        };
        var notes = Reporter(new NoteBatcher(store) { MinInterval = TimeSpan.FromMilliseconds(50) });
        var pass = new PassContext(new SyncTarget("app"), new GitSourceSpec(repo.BarePath, "main", string.Empty), sha);

        await notes.ProgressingAsync(pass, CancellationToken.None);
        Assert.True(inFlight.Wait(TimeSpan.FromSeconds(30)));
        var finished = notes.FinishedAsync(pass, Synced(sha), infrastructure: false, CancellationToken.None);
        release.Set();
        await finished;

        Assert.Equal(2, pushes);
        var note = repo.RemoteGit("notes", "--ref=gitops", "show", sha);
        Assert.Contains("prod/app: Synced", note, StringComparison.Ordinal);
        Assert.DoesNotContain("Progressing", note, StringComparison.Ordinal);
    }

    private static NoteReporter Reporter(ICommitStatusStore store) => new(store, "prod", new FakeTimeProvider(), WriteFence.None);

    private static PassContext Pass(string commit) => new(new SyncTarget("app"), new GitSourceSpec("https://git.example.com/r.git", "main", "."), commit);

    private static SyncResult Synced(string commit) => new(commit, "app", SyncPhase.Synced, HealthStatus.Healthy, "ok", []);

    /// <summary>A store whose writes are recorded when called and take effect, in call order, only once released.</summary>
    private sealed class HeldStore : ICommitStatusStore
    {
        private readonly TaskCompletionSource gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private Task tail = Task.CompletedTask;

        public FakeCommitStatusStore Inner { get; } = new();

        public List<string> Calls { get; } = [];

        public bool Ordered { get; set; }

        public string? FailPhase { get; set; }

        public bool KeepsCallOrder => Ordered;

        public void Release() => gate.TrySetResult();

        public async Task WriteAsync(GitSourceSpec repository, string commitSha, CommitStatusEntry entry, CancellationToken ct)
        {
            var mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Task before;
            lock (Calls)
            {
                Calls.Add(entry.Phase);
                (before, tail) = (tail, mine.Task);
            }

            try
            {
                await gate.Task.WaitAsync(ct);
                await before;
                if (entry.Phase == FailPhase)
                {
                    throw new GitSourceException("push refused");
                }

                await Inner.WriteAsync(repository, commitSha, entry, ct);
            }
            finally
            {
                mine.TrySetResult();
            }
        }

        public Task<IReadOnlyList<CommitStatus>> ReadStatusAsync(GitSourceSpec repository, string branch, int count, CancellationToken ct) =>
            Inner.ReadStatusAsync(repository, branch, count, ct);
    }
}
