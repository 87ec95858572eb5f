using GitOps.Agent.Git;
using GitOps.Agent.Hosting.Web;
using GitOps.Diff.Drift;
using GitOps.Diff.Health;
using static GitOps.Agent.Tests.Hosting.Web.ViewFakes;

namespace GitOps.Agent.Tests.Hosting.Web;

/// <summary>The read model as passes feed it: phase, live commit, objects, drift, errors; snapshots never change under a reader.</summary>
public sealed class ViewReporterTests
{
    private readonly ViewStore store = new([TargetView.Of(Target("app"))]);
    private readonly ViewReporter reporter;

    public ViewReporterTests() =>
        reporter = new ViewReporter(store, new CommitLog(Path.Combine(Path.GetTempPath(), "gitops-view-tests-none")), new FixedClock(Now), new WebOptions());

    [Fact]
    public void Of_RepositoryWithCredentials_ShowsItRedacted()
    {
        var view = store.Current.Targets["app"];

        Assert.DoesNotContain("hunter2", view.Repository, StringComparison.Ordinal);
        Assert.Equal(TargetPhase.Pending, view.Phase);
        Assert.Equal(HealthStatus.Unknown, view.Health);
    }

    [Fact]
    public async Task FinishedAsync_SyncedPassWithDrift_RecordsPhaseLiveCommitObjectsAndPathsOnly()
    {
        var sha = Sha(1);
        await reporter.ProgressingAsync(Pass("app", sha), CancellationToken.None);
        Assert.Equal(TargetPhase.Progressing, store.Current.Targets["app"].Phase);

        await reporter.FinishedAsync(Pass("app", sha), Synced(sha, Drifted(Secret, "data.password", "old-secret-value", "new-secret-value")), infrastructure: false, CancellationToken.None);

        var view = store.Current.Targets["app"];
        Assert.Equal(TargetPhase.Synced, view.Phase);
        Assert.Equal(sha, view.LiveCommit);
        Assert.Equal(Now, view.LastSync);
        Assert.Null(view.LastError);
        var o = Assert.Single(view.LastPass!.Objects);
        Assert.Equal(["data.password"], o.ChangedPaths);
        Assert.Equal("Secret: exists", o.HealthReason);
        Assert.Same(view.LastPass, view.LastDrift);
        Assert.Same(view.LastPass, view.PassAt(sha));
        Assert.Equal(2, store.Current.Version);
    }

    [Fact]
    public async Task FinishedAsync_LaterPassWithoutDrift_KeepsTheLastDrift()
    {
        await reporter.FinishedAsync(Pass("app", Sha(1)), Synced(Sha(1), Drifted(ConfigMap, "data.k", "1", "2")), false, CancellationToken.None);
        var drift = store.Current.Targets["app"].LastDrift;

        await reporter.FinishedAsync(Pass("app", Sha(1)), Synced(Sha(1), new GitOps.Agent.Sync.ObjectResult(ConfigMap, SyncAction.Unchanged, HealthStatus.Healthy)), false, CancellationToken.None);

        Assert.Same(drift, store.Current.Targets["app"].LastDrift);
        Assert.Single(store.Current.Targets["app"].Passes);
    }

    [Fact]
    public async Task FinishedAsync_LaterPassesAtTheSameCommit_KeepTheFirstSyncedPassForTheCommitPage()
    {
        await reporter.FinishedAsync(Pass("app", Sha(1)), Failed(Sha(1), "Deployment/web: conflict", null), false, CancellationToken.None);
        await reporter.FinishedAsync(Pass("app", Sha(1)), Synced(Sha(1), new GitOps.Agent.Sync.ObjectResult(ConfigMap, SyncAction.Created, HealthStatus.Healthy)), false, CancellationToken.None);

        await reporter.FinishedAsync(Pass("app", Sha(1)), Synced(Sha(1), new GitOps.Agent.Sync.ObjectResult(ConfigMap, SyncAction.Unchanged, HealthStatus.Healthy)), false, CancellationToken.None);

        var view = store.Current.Targets["app"];
        Assert.Equal(SyncAction.Created, Assert.Single(view.PassAt(Sha(1))!.Objects).Action);
        Assert.Equal(SyncAction.Unchanged, Assert.Single(view.LastPass!.Objects).Action);
    }

    [Fact]
    public async Task FinishedAsync_FailedPass_ShowsTheErrorAndKeepsTheLiveCommit()
    {
        await reporter.FinishedAsync(Pass("app", Sha(1)), Synced(Sha(1)), false, CancellationToken.None);

        await reporter.FinishedAsync(Pass("app", Sha(2)), Failed(Sha(2), "bad.yaml:1:7: did not find expected node content", Sha(1)), false, CancellationToken.None);

        var view = store.Current.Targets["app"];
        Assert.Equal(TargetPhase.Failed, view.Phase);
        Assert.Equal(Sha(1), view.LiveCommit);
        Assert.StartsWith("bad.yaml:1:7", view.LastError, StringComparison.Ordinal);
        Assert.True(view.HasProblem);
        Assert.Equal([Sha(2), Sha(1)], view.Passes.Select(p => p.Commit));
    }

    [Fact]
    public async Task FinishedAsync_InfrastructureFailure_ShowsTheErrorButKeepsTheCommitsVerdict()
    {
        await reporter.FinishedAsync(Pass("app", Sha(1)), Synced(Sha(1)), false, CancellationToken.None);

        await reporter.FinishedAsync(Pass("app", Sha(1)), Failed(Sha(1), "cannot reach the API server: refused", null), true, CancellationToken.None);

        var view = store.Current.Targets["app"];
        Assert.StartsWith("cannot reach the API server: refused", view.LastError, StringComparison.Ordinal);
        Assert.Equal(TargetPhase.Synced, view.PassAt(Sha(1))!.Phase);
        Assert.Equal(Sha(1), view.LiveCommit);
    }

    [Fact]
    public async Task FinishedAsync_ManyCommits_KeepsABoundedNumberOfPasses()
    {
        for (var i = 1; i <= ViewReporter.PassesKept + 5; i++)
        {
            await reporter.FinishedAsync(Pass("app", Sha(i)), Synced(Sha(i)), false, CancellationToken.None);
        }

        var passes = store.Current.Targets["app"].Passes;
        Assert.Equal(ViewReporter.PassesKept, passes.Count);
        Assert.Equal(Sha(ViewReporter.PassesKept + 5), passes[0].Commit);
    }

    [Fact]
    public async Task Update_WhileAReaderHoldsASnapshot_LeavesThatSnapshotAsItWas()
    {
        var held = store.Current;

        await reporter.FinishedAsync(Pass("app", Sha(1)), Synced(Sha(1)), false, CancellationToken.None);

        Assert.Equal(TargetPhase.Pending, held.Targets["app"].Phase);
        Assert.Equal(0, held.Version);
        Assert.Equal(TargetPhase.Synced, store.Current.Targets["app"].Phase);
    }

    [Fact]
    public async Task ChangedSinceAsync_NextUpdate_CompletesAndIgnoresUnknownTargets()
    {
        var wait = store.ChangedSinceAsync(store.Current.Version, CancellationToken.None);
        store.Update("not-a-target", v => v with { Phase = TargetPhase.Failed });
        Assert.False(wait.IsCompleted);

        await reporter.ProgressingAsync(Pass("app", Sha(1)), CancellationToken.None);

        await wait.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(store.ChangedSinceAsync(0, CancellationToken.None).IsCompletedSuccessfully);
    }
}
