using GitOps.Diff.Identity;
using GitOps.Diff.Order;

namespace GitOps.Agent.Sync;

/// <summary>The Apply stage's value: the final decisions, what was written of them, and the inventory as stored.</summary>
internal sealed record Applied(IReadOnlyList<Decision> Decisions, IReadOnlyDictionary<ResourceKey, ApplyOutcome> Outcomes, ApplySetInventory Inventory)
{
    /// <summary>Set when a stage failed: the pass ends with it.</summary>
    public SyncResult? Failure { get; init; }
}

internal sealed partial class SyncEngine
{
    /// <summary>
    /// Applies stage by stage. The inventory records the intent first (old members plus all that
    /// is about to be written, still at the old revision), so a pass that dies half-way cannot
    /// orphan what it created.
    /// </summary>
    private async Task<Applied> ApplyStagesAsync(SyncRequest request, PassReport report, IReadOnlyList<Decision> planned, ApplySetInventory inventory, CancellationToken ct)
    {
        var outcomes = new Dictionary<ResourceKey, ApplyOutcome>();
        var decisions = planned.ToDictionary(d => d.Key);
        inventory = await RecordAsync(request.Target, inventory, inventory.Members.Values, decisions.Values, outcomes, inventory.Revision, ct);
        foreach (var keys in ApplyOrder.Stages(planned.Select(d => d.Key), k => k))
        {
            if (Stage(keys) != ApplyOrder.StageDefinitions && decisions.Values.Any(d => d is Decision.Defer))
            {
                await PlanDeferredAsync(request.Target, report, decisions, inventory, ct);
                var all = decisions.Values.ToList();
                if (report.Rejected(all, "rejected by the server after the definitions stage; only Namespaces and CRDs were applied") is { } rejected)
                {
                    return new Applied(all, outcomes, inventory) { Failure = report.ApplyFailed(all, outcomes) with { Message = rejected.Message } };
                }
            }

            foreach (var outcome in await applier.ApplyAsync(keys.Select(k => decisions[k]).ToList(), report.Redactor, ct))
            {
                outcomes[outcome.Key] = outcome;
            }

            if (outcomes.Values.Any(o => o is ApplyOutcome.Failed))
            {
                inventory = await RecordAsync(request.Target, inventory, inventory.Members.Values, decisions.Values, outcomes, inventory.Revision, ct);
                return new Applied(decisions.Values.ToList(), outcomes, inventory) { Failure = report.ApplyFailed(decisions.Values.ToList(), outcomes) };
            }
        }

        return new Applied(ApplyOrder.Sort(decisions.Values, d => d.Key), outcomes, inventory);
    }

    private static int Stage(IReadOnlyList<ResourceKey> keys) => ApplyOrder.Stage(keys[0].GroupKind);

    /// <summary>Now that the Namespaces and CRDs exist, judges every object that had to wait for them.</summary>
    private async Task PlanDeferredAsync(SyncTarget target, PassReport report, Dictionary<ResourceKey, Decision> decisions, ApplySetInventory inventory, CancellationToken ct)
    {
        var waiting = decisions.Values.OfType<Decision.Defer>().ToList();
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
