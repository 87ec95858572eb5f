using GitOps.Agent.Sync;
using GitOps.Diff.Drift;
using GitOps.Diff.Health;
using GitOps.Diff.Identity;
using GitOps.Diff.Release;

namespace GitOps.Agent.Tests.Sync;

public sealed class HealthFollowUpTests
{
    private static readonly ResourceKey Web = new("apps", "Deployment", "ns", "web");
    private static readonly ResourceKey Settings = new("", "ConfigMap", "ns", "settings");
    private static readonly HookResult Migrate = new(new ResourceKey("batch", "Job", "ns", "migrate"), HookPhase.Sync, HookOutcome.Succeeded, "Sync hook succeeded");

    private static readonly SyncResult Release = new("c1", "app", SyncPhase.Synced, HealthStatus.Progressing, "created=2",
        [new ObjectResult(Web, SyncAction.Created, HealthStatus.Progressing), new ObjectResult(Settings, SyncAction.Configured, HealthStatus.Healthy)])
    { Hooks = [Migrate], ClusterRevision = "c1" };

    private static SyncResult NoOp(string revision = "c1", SyncAction webAction = SyncAction.Unchanged) =>
        new(revision, "app", SyncPhase.Synced, HealthStatus.Healthy, "unchanged=2",
            [new ObjectResult(Web, webAction, HealthStatus.Healthy) { HealthReason = "1/1 ready" }, new ObjectResult(Settings, SyncAction.Unchanged, HealthStatus.Healthy)])
        { Hooks = [Migrate with { Outcome = HookOutcome.Skipped }], ClusterRevision = revision };

    [Fact]
    public void Merge_NoOpPassOfTheSameRevision_IsTheReleaseWithTheHealthNowSeen()
    {
        var merged = HealthFollowUp.Merge(Release, NoOp());

        Assert.Equal((SyncPhase.Synced, HealthStatus.Healthy, "created=2", true), (merged.Phase, merged.Health, merged.Message, merged.HealthUpdate));
        Assert.Equal([SyncAction.Created, SyncAction.Configured], merged.Objects.Select(o => o.Action));
        Assert.Equal(("1/1 ready", HealthStatus.Healthy), (merged.Objects[0].HealthReason, merged.Objects[0].Health));
        Assert.Equal(HookOutcome.Succeeded, Assert.Single(merged.Hooks).Outcome);
    }

    [Fact]
    public void Merge_PassThatFoundDriftOrAnotherRevisionOrNoFollowUp_IsReportedAsItself()
    {
        var drift = NoOp(webAction: SyncAction.Configured);
        Assert.Same(drift, HealthFollowUp.Merge(Release, drift));
        var other = NoOp("c2");
        Assert.Same(other, HealthFollowUp.Merge(Release, other));
        var now = NoOp();
        Assert.Same(now, HealthFollowUp.Merge(null, now));
        var failed = SyncResult.Failure("c1", "app", "cannot reach the API server");
        Assert.Same(failed, HealthFollowUp.Merge(Release, failed));
    }

    [Fact]
    public void ReleaseOf_NoOpPassAfterTheRelease_KeepsTheRelease_AndAnythingElseReplacesIt()
    {
        Assert.Same(Release, HealthFollowUp.ReleaseOf(Release, NoOp())); // a watch event's pass that wrote nothing
        var drift = NoOp(webAction: SyncAction.Configured);
        Assert.Same(drift, HealthFollowUp.ReleaseOf(Release, drift));
        var other = NoOp("c2");
        Assert.Same(other, HealthFollowUp.ReleaseOf(Release, other));
        var first = NoOp();
        Assert.Same(first, HealthFollowUp.ReleaseOf(null, first));
        var failed = SyncResult.Failure("c1", "app", "cannot reach the API server");
        Assert.Same(failed, HealthFollowUp.ReleaseOf(Release, failed));
    }
}
