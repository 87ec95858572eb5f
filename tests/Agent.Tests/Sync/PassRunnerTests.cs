using GitOps.Agent.Git;
using GitOps.Agent.Kube;
using GitOps.Agent.Sync;
using GitOps.Agent.Tests.Git;

namespace GitOps.Agent.Tests.Sync;

/// <summary>
/// The runner's exit paths with a scripted engine: whatever ends a pass, the reporters hear a
/// final entry after Progressing, except when this replica lost its Lease (then nothing more).
/// </summary>
public sealed class PassRunnerTests
{
    private static readonly string Commit = new('a', 40);
    private readonly FakeGitSource git = new FakeGitSource().Add("main", new SourceRevision(Commit, "refs/heads/main", [], "one"));
    private readonly RecordingReporter reporter = new();

    private static PassRequest Request => new(new SyncTarget("app"), new GitSourceSpec("https://git.example.com/r.git", "main", ""));

    [Fact]
    public async Task RunAsync_InternalErrorAfterProgressing_ReportsFailedThenRethrows()
    {
        var runner = new PassRunner(git, async (_, sync, ct) =>
        {
            await sync.Applying!(ct);
            throw new InvalidOperationException("a bug in the engine");
        }, [reporter]);

        await Assert.ThrowsAsync<InvalidOperationException>(() => runner.RunAsync(Request, CancellationToken.None));

        Assert.Equal(["Progressing", "Finished"], reporter.Calls.Select(c => c.Kind));
        var (_, result, infrastructure) = reporter.Calls[1];
        Assert.Equal(SyncPhase.Failed, result!.Phase);
        Assert.Equal(Commit, result.Revision);
        Assert.Equal("internal error (InvalidOperationException): the pass stopped; the next one retries", result.Message);
        Assert.True(result.Interrupted); // it may have written: the note must not say the cluster stayed where it was
        Assert.False(infrastructure);
    }

    [Fact]
    public async Task RunAsync_InternalErrorBeforeAnyWrite_ReportsFailedWithoutReplacingAVerdict()
    {
        var runner = new PassRunner(git, (_, _, _) => throw new KeyNotFoundException("quoting who knows what"), [reporter]);

        await Assert.ThrowsAsync<KeyNotFoundException>(() => runner.RunAsync(Request, CancellationToken.None));

        var (kind, result, infrastructure) = Assert.Single(reporter.Calls);
        Assert.Equal("Finished", kind);
        Assert.False(result!.Interrupted);
        Assert.True(infrastructure); // the revision was never judged: a verdict already on the commit stands
        Assert.DoesNotContain("quoting", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_FenceLostAfterProgressing_ReportsNothingMore()
    {
        var runner = new PassRunner(git, async (_, sync, ct) =>
        {
            await sync.Applying!(ct);
            throw new FenceLostException("the Lease is no longer held");
        }, [reporter]);

        await Assert.ThrowsAsync<FenceLostException>(() => runner.RunAsync(Request, CancellationToken.None));

        Assert.Equal(["Progressing"], reporter.Calls.Select(c => c.Kind));
    }

    private sealed class RecordingReporter : IPassReporter
    {
        public List<(string Kind, SyncResult? Result, bool Infrastructure)> Calls { get; } = [];

        public Task ProgressingAsync(PassContext pass, CancellationToken ct)
        {
            Calls.Add(("Progressing", null, false));
            return Task.CompletedTask;
        }

        public Task FinishedAsync(PassContext pass, SyncResult result, bool infrastructure, CancellationToken ct)
        {
            Calls.Add(("Finished", result, infrastructure));
            return Task.CompletedTask;
        }
    }
}
