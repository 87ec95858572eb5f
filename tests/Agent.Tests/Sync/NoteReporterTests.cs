using GitOps.Agent.Git;
using GitOps.Agent.Kube;
using GitOps.Agent.Sync;
using GitOps.Agent.Tests.Git;
using GitOps.Diff.Health;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Agent.Tests.Sync;

/// <summary>What reaches the commit's note, and what is deliberately not written again.</summary>
public sealed class NoteReporterTests
{
    private static readonly string Commit = new('a', 40);
    private static readonly string Other = new('b', 40);
    private readonly FakeCommitStatusStore store = new();
    private readonly FakeTimeProvider clock = new();
    private readonly PassContext pass = new(new SyncTarget("app"), new GitSourceSpec("https://git.example.com/r.git", "main", "."), Commit);

    private NoteReporter Reporter(IWriteFence? fence = null) => new(store, "prod", clock, fence ?? WriteFence.None);

    [Fact]
    public async Task FinishedAsync_ProgressingThenSynced_EndsWithTheOutcomeOnly()
    {
        var notes = Reporter();

        await notes.ProgressingAsync(pass, CancellationToken.None);
        Assert.Equal("Progressing", Assert.Single(store.EntriesOf(Commit)).Phase);
        await notes.FinishedAsync(pass, Result(Commit, SyncPhase.Synced), infrastructure: false, CancellationToken.None);

        var entry = Assert.Single(store.EntriesOf(Commit));
        Assert.Equal(("prod", "app", "Synced", "Healthy"), (entry.Cluster, entry.Target, entry.Phase, entry.Health));
    }

    [Fact]
    public async Task ProgressingAsync_CommitAlreadyReported_KeepsItsVerdict()
    {
        var notes = Reporter();
        await notes.FinishedAsync(pass, Result(Commit, SyncPhase.Synced), infrastructure: false, CancellationToken.None);

        await notes.ProgressingAsync(pass, CancellationToken.None); // self-heal on the same commit

        Assert.Equal("Synced", Assert.Single(store.EntriesOf(Commit)).Phase);
    }

    [Fact]
    public async Task FinishedAsync_InfrastructureFailureOnAReportedCommit_DoesNotReplaceTheVerdict()
    {
        var notes = Reporter();
        await notes.FinishedAsync(pass, Result(Commit, SyncPhase.Synced), infrastructure: false, CancellationToken.None);

        await notes.FinishedAsync(pass, SyncResult.Failure(Commit, "app", "cannot reach the API server: refused"), infrastructure: true, CancellationToken.None);

        Assert.Equal("Synced", Assert.Single(store.EntriesOf(Commit)).Phase);
    }

    [Fact]
    public async Task FinishedAsync_InfrastructureFailureOnANewCommit_IsWritten()
    {
        var notes = Reporter();
        await notes.FinishedAsync(pass, Result(Commit, SyncPhase.Synced), infrastructure: false, CancellationToken.None);

        await notes.FinishedAsync(pass with { Commit = Other }, SyncResult.Failure(Other, "app", "cannot reach the API server: refused"), infrastructure: true, CancellationToken.None);

        var entry = Assert.Single(store.EntriesOf(Other));
        Assert.Equal("Failed", entry.Phase);
        Assert.Contains("cannot reach the API server", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FinishedAsync_FenceDown_WritesNothing()
    {
        var notes = Reporter(new DownFence());

        await Assert.ThrowsAsync<FenceLostException>(() => notes.FinishedAsync(pass, Result(Commit, SyncPhase.Synced), infrastructure: false, CancellationToken.None));

        Assert.Empty(store.EntriesOf(Commit));
    }

    [Fact]
    public async Task FinishedAsync_NoCommit_WritesNothing()
    {
        await Reporter().FinishedAsync(pass with { Commit = null }, SyncResult.Failure(string.Empty, "app", "cannot read the source"), infrastructure: true, CancellationToken.None);

        Assert.Empty(store.EntriesOf(Commit));
    }

    private static SyncResult Result(string commit, SyncPhase phase) => new(commit, "app", phase, HealthStatus.Healthy, "ok", []);

    private sealed class DownFence : IWriteFence
    {
        public void EnsureHeld() => throw new FenceLostException("down");
    }
}
