using System.Text.Json.Nodes;
using GitOps.Agent.Kube;
using GitOps.Agent.Sync;
using GitOps.Diff.Drift;
using GitOps.Diff.Health;
using GitOps.Diff.Identity;
using GitOps.Diff.Masking;
using GitOps.Diff.Render;

namespace GitOps.Agent.Tests.Sync;

/// <summary>Each object is reported in the planner's or the applier's own words, whatever happened to the pass.</summary>
public sealed class PassReportTests
{
    private static readonly ApiResource ConfigMaps = new(string.Empty, "v1", "ConfigMap", "configmaps", Namespaced: true);
    private readonly PassReport report = new(new SyncRequest(new SyncTarget("app"), new string('a', 40), []), new string('b', 40), SecretRedactor.None);

    [Fact]
    public void Rejected_OneRefusal_ReportsOthersAsNotAppliedNeverConfigured()
    {
        var decisions = new Decision[]
        {
            new Decision.Apply(Observed("changed", live: true), new DriftResult(SyncAction.Configured, [])),
            new Decision.Apply(Observed("new", live: false), DriftResult.Created),
            new Decision.Unchanged(Observed("same", live: true), "h"),
            new Decision.Reject(Observed("bad", live: false), "ConfigMap/ns/bad: Invalid value"),
        };

        var result = report.Rejected(decisions, "rejected by the server; nothing was applied")!;

        Assert.Equal(SyncPhase.Failed, result.Phase);
        Assert.Equal(new string('b', 12), result.StatusMessage![^13..^1]);
        Assert.Equal(
            [("changed", SyncAction.NotApplied), ("new", SyncAction.NotApplied), ("same", SyncAction.Unchanged), ("bad", SyncAction.Failed)],
            result.Objects.Select(o => (o.Key.Name, o.Action)));
        Assert.Contains("would be configured; not applied", result.Objects[0].Message, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Counts.Keys, a => a is SyncAction.Configured or SyncAction.Created);
    }

    [Fact]
    public void ApplyFailed_AStageFailed_ReportsWhatWasWrittenAndWhatWasNot()
    {
        var ns = new Decision.Apply(Observed("ns", live: false), DriftResult.Created);
        var bad = new Decision.Apply(Observed("bad", live: false), DriftResult.Created);
        var later = new Decision.Apply(Observed("later", live: false), DriftResult.Created);
        var outcomes = new Dictionary<ResourceKey, ApplyOutcome>
        {
            [ns.Key] = new ApplyOutcome.Applied(ns, [], "h"),
            [bad.Key] = new ApplyOutcome.Failed(bad, "ConfigMap/ns/bad: refused"),
        };

        var result = report.ApplyFailed([ns, bad, later], outcomes);

        Assert.Equal([SyncAction.Created, SyncAction.Failed, SyncAction.NotApplied], result.Objects.Select(o => o.Action));
        Assert.Contains("1 object(s) failed to apply", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Complete_DryRunOfADeferredObject_SaysItWouldBeCreated()
    {
        var dry = report with { Request = report.Request with { DryRun = true } };
        var deferred = new Decision.Defer(Observed("in-new-namespace", live: false));

        var result = dry.Complete([deferred], new Dictionary<ResourceKey, ApplyOutcome>(), new PruneOutcome([], new HashSet<ResourceKey>()), new HealthReport(new Dictionary<ResourceKey, HealthResult>(), false), emptyGuard: false);

        var o = Assert.Single(result.Objects);
        Assert.Equal((SyncAction.Created, "validated once the Namespace or CRD it needs exists"), (o.Action, o.Message));
        Assert.Equal(new string('b', 40), result.ClusterRevision); // a dry run moves nothing
    }

    [Fact]
    public void Complete_PreemptedHealthWait_IsSyncedAndSaysTheWaitWasCut()
    {
        var timed = report with { Request = report.Request with { Timeout = TimeSpan.FromMinutes(2) } };
        var apply = new Decision.Apply(Observed("web", live: false), DriftResult.Created);
        var outcomes = new Dictionary<ResourceKey, ApplyOutcome> { [apply.Key] = new ApplyOutcome.Applied(apply, [], "h") };
        var health = new HealthReport(new Dictionary<ResourceKey, HealthResult> { [apply.Key] = new(HealthStatus.Progressing, "rolling out") }, Preempted: true);

        var result = timed.Complete([apply], outcomes, new PruneOutcome([], new HashSet<ResourceKey>()), health, emptyGuard: false);

        Assert.Equal((SyncPhase.Synced, HealthStatus.Progressing), (result.Phase, result.Health));
        Assert.Contains("health wait cut short: a newer commit is waiting", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Complete_EmptyRenderHeldBack_KeepsTheLastGoodRevision()
    {
        var result = report.Complete([], new Dictionary<ResourceKey, ApplyOutcome>(), new PruneOutcome([], new HashSet<ResourceKey>()), new HealthReport(new Dictionary<ResourceKey, HealthResult>(), false), emptyGuard: true);

        Assert.Equal(SyncPhase.Failed, result.Phase);
        Assert.Equal(new string('b', 40), result.ClusterRevision);
        Assert.Contains($"stays at {new string('b', 12)}", result.StatusMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Complete_MembersInWaves_ReportsEachOnesWaveAndNoneForAPrunedObject()
    {
        var early = new Decision.Unchanged(Observed("early", live: true, wave: -1), "h");
        var late = new Decision.Apply(Observed("late", live: false, wave: 3), DriftResult.Created);
        var outcomes = new Dictionary<ResourceKey, ApplyOutcome> { [late.Key] = new ApplyOutcome.Applied(late, [], "h") };
        var gone = new ObjectResult(new ResourceKey(string.Empty, "ConfigMap", "ns", "gone"), SyncAction.Pruned, HealthStatus.Healthy, "pruned");

        var result = report.Complete([early, late], outcomes, new PruneOutcome([gone], new HashSet<ResourceKey>()), new HealthReport(new Dictionary<ResourceKey, HealthResult>(), false), emptyGuard: false);

        Assert.Equal([("early", (int?)-1), ("late", 3), ("gone", null)], result.Objects.Select(o => (o.Key.Name, o.Wave)));
    }

    private static ObservedObject Observed(string name, bool live, int wave = 0)
    {
        var key = new ResourceKey(string.Empty, "ConfigMap", "ns", name);
        var obj = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "ns" } };
        var prepared = new PreparedObject(new DesiredObject(key, "v1", obj, new SourceLocation("a.yaml", 1, 1)), obj, "hash", ConfigMaps) { Wave = wave };
        return new ObservedObject(prepared, live ? obj : null, Deferred: false);
    }
}
