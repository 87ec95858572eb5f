using GitOps.Diff.Identity;
using GitOps.Diff.Health;
using GitOps.Diff.Order;
using GitOps.Diff.Release;

namespace GitOps.Agent.Sync;

/// <summary>The Apply stage's value: the final decisions, what was written of them, and the inventory as stored.</summary>
internal sealed record Applied(IReadOnlyList<Decision> Decisions, IReadOnlyDictionary<ResourceKey, ApplyOutcome> Outcomes, ApplySetInventory Inventory)
{
    /// <summary>Set when a stage failed: the pass ends with it.</summary>
    public SyncResult? Failure { get; init; }

    /// <summary>The hooks run so far (PreSync, and Sync of the waves applied).</summary>
    public IReadOnlyList<HookResult> Hooks { get; init; } = [];
}

internal sealed partial class SyncEngine
{
    /// <summary>
    /// PreSync hooks, then wave by wave: the apply stages of the wave's members, its Sync hooks,
    /// and, when a later wave follows, a wait until all of the wave is Healthy. The inventory
    /// records the intent first (old members plus all that is about to be written, still at the
    /// old revision), so a pass that dies half-way cannot orphan what it created.
    /// </summary>
    private async Task<Applied> ApplyStagesAsync(SyncRequest request, PassReport report, IReadOnlyList<Decision> planned, ApplySetInventory inventory, Release release, CancellationToken ct)
    {
        var outcomes = new Dictionary<ResourceKey, ApplyOutcome>();
        var hooks = new List<HookResult>();
        var decisions = planned.ToDictionary(d => d.Key);
        inventory = await RecordAsync(request.Target, inventory, inventory.Members.Values, decisions.Values, outcomes, inventory.Revision, ct);
        if (release.Runs)
        {
            // The one thing written before PreSync: a Namespace of the revision that a PreSync hook runs in.
            var homes = planned.Where(d => d.Key.GroupKind == Diff.Prune.PrunePlanner.NamespaceKind && d.Writes && release.Hooks.Any(h => h.Role.In(HookPhase.PreSync) && h.Key.Namespace == d.Key.Name)).ToList();
            foreach (var outcome in await applier.ApplyAsync(homes, report.Redactor, ct))
            {
                outcomes[outcome.Key] = outcome;
            }

            if (outcomes.Values.Any(o => o is ApplyOutcome.Failed))
            {
                return new Applied(planned, outcomes, inventory) { Failure = report.ApplyFailed(planned, outcomes) };
            }

            hooks.AddRange(await hookRunner.RunPhaseAsync(release.Hooks, HookPhase.PreSync, release.Remaining(clock), report.Redactor, ct));
            if (Release.AnyFailed(hooks))
            {
                return new Applied(planned, outcomes, inventory) { Hooks = hooks, Failure = report.HookFailed(planned, outcomes, hooks) };
            }
        }

        var waves = ReleaseOrder.SyncWaves(planned, d => d.Prepared.Wave, d => d.Key, release.Runs ? release.Hooks : [], h => h.Role, h => h.Key);
        foreach (var wave in waves)
        {
            var failure = await ApplyWaveAsync(request, report, wave.Wave, wave.Members.Select(d => d.Key).ToList(), decisions, outcomes, inventory, ct);
            if (failure is null && wave.Hooks.Count > 0)
            {
                hooks.AddRange(await hookRunner.RunWaveAsync(wave.Hooks, HookPhase.Sync, release.Remaining(clock), report.Redactor, ct));
                failure = Release.AnyFailed(hooks) ? report.HookFailed(decisions.Values.ToList(), outcomes, hooks) : null;
            }

            if (failure is null && wave != waves[^1])
            {
                failure = await GateAsync(request, report, wave.Wave, decisions, outcomes, inventory, release, ct);
            }

            if (failure is not null)
            {
                inventory = await RecordAsync(request.Target, inventory, inventory.Members.Values, decisions.Values, outcomes, inventory.Revision, ct);
                return new Applied(decisions.Values.ToList(), outcomes, inventory) { Hooks = hooks, Failure = failure with { Hooks = hooks } };
            }
        }

        return new Applied(ApplyOrder.Sort(decisions.Values, d => d.Key), outcomes, inventory) { Hooks = hooks };
    }

    /// <summary>The apply stages of one wave; a failure (a rejection once definitions exist, a refused write) ends the pass.</summary>
    private async Task<SyncResult?> ApplyWaveAsync(
        SyncRequest request, PassReport report, int wave, IReadOnlyList<ResourceKey> members, Dictionary<ResourceKey, Decision> decisions,
        Dictionary<ResourceKey, ApplyOutcome> outcomes, ApplySetInventory inventory, CancellationToken ct)
    {
        foreach (var keys in ApplyOrder.Stages(members, k => k))
        {
            if (Stage(keys) != ApplyOrder.StageDefinitions && decisions.Values.Any(d => d is Decision.Defer && d.Prepared.Wave <= wave))
            {
                await PlanDeferredAsync(request.Target, report, decisions, inventory, wave, ct);
                var all = decisions.Values.ToList();
                if (report.Rejected(all, "rejected by the server once the Namespaces and CRDs they need existed; later stages were not applied") is { } rejected)
                {
                    return report.ApplyFailed(all, outcomes) with { Message = rejected.Message };
                }
            }

            foreach (var outcome in await applier.ApplyAsync(keys.Where(k => !outcomes.ContainsKey(k)).Select(k => decisions[k]).ToList(), report.Redactor, ct))
            {
                outcomes[outcome.Key] = outcome;
            }

            if (outcomes.Values.Any(o => o is ApplyOutcome.Failed))
            {
                return report.ApplyFailed(decisions.Values.ToList(), outcomes);
            }
        }

        return null;
    }

    /// <summary>Waits until every object of the wave is Healthy before the next wave is written.</summary>
    private async Task<SyncResult?> GateAsync(
        SyncRequest request, PassReport report, int wave, Dictionary<ResourceKey, Decision> decisions,
        Dictionary<ResourceKey, ApplyOutcome> outcomes, ApplySetInventory inventory, Release release, CancellationToken ct)
    {
        var members = decisions.Values.Where(d => d.Prepared.Wave == wave).ToList();
        var health = await healthWaiter.AssessAsync(Subjects(new Applied(members, outcomes, inventory)), release.Remaining(clock), request.Preempt, ct);
        return health.Objects.Values.All(h => h.Status == HealthStatus.Healthy) ? null : report.WaveNotHealthy(decisions.Values.ToList(), outcomes, wave, health);
    }

    private static int Stage(IReadOnlyList<ResourceKey> keys) => ApplyOrder.Stage(keys[0].GroupKind);

    /// <summary>Now that the Namespaces and CRDs exist, judges every object that had to wait for them.</summary>
    private async Task PlanDeferredAsync(SyncTarget target, PassReport report, Dictionary<ResourceKey, Decision> decisions, ApplySetInventory inventory, int wave, CancellationToken ct)
    {
        var waiting = decisions.Values.OfType<Decision.Defer>().Where(d => d.Prepared.Wave <= wave).ToList();
        foreach (var apiVersion in waiting.Where(d => d.Prepared.Resource is null).Select(d => d.Prepared.Desired.ApiVersion).Distinct())
        {
            discovery.Invalidate(apiVersion); // once per version, now that the CRDs are Established
        }

        var ready = new List<ObservedObject>();
        foreach (var d in waiting)
        {
            var resource = d.Prepared.Resource ?? await discovery.ResolveAsync(d.Prepared.Desired.ApiVersion, d.Key.Kind, ct);
            if (resource is null)
            {
                decisions[d.Key] = new Decision.Reject(d.Object, $"{d.Key}: the server does not serve {d.Prepared.Desired.ApiVersion} {d.Key.Kind} (is its CRD in the revision and valid?)");
                continue;
            }

            ready.Add(new ObservedObject(d.Prepared with { Resource = resource }, Live: null, Deferred: false));
        }

        foreach (var decision in await planner.PlanAsync(ready, inventory, target, report.Redactor, ct))
        {
            decisions[decision.Key] = decision;
        }
    }
}
