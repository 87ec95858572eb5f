using GitOps.Diff.Drift;
using GitOps.Diff.Health;
using GitOps.Diff.Identity;
using GitOps.Diff.Masking;
using GitOps.Diff.Render;

namespace GitOps.Agent.Sync;

/// <summary>
/// Turns the stage values of one pass into its <see cref="SyncResult"/>. Each object is reported
/// in the planner's or the applier's own words: written objects as created/configured, planned
/// ones a failure stopped as not-applied, refused ones as failed — never a verdict rewritten.
/// </summary>
internal sealed record PassReport(SyncRequest Request, string? ClusterRevision, SecretRedactor Redactor)
{
    private const int ErrorsInMessage = 5;

    public SyncResult InputFailure(ManifestException ex) =>
        Result(SyncPhase.Failed, HealthStatus.Unknown, Redactor.Redact(ex.Message), []) with { InputError = true };

    public SyncResult Failure(string message, IReadOnlyList<ObjectResult>? objects = null) =>
        Result(SyncPhase.Failed, HealthStatus.Unknown, message, objects ?? []);

    /// <summary>A Failed result when any decision is a rejection, naming the first few; otherwise null.</summary>
    public SyncResult? Rejected(IReadOnlyList<Decision> decisions, string what)
    {
        var errors = decisions.OfType<Decision.Reject>().Select(r => r.Error).ToList();
        return errors.Count == 0 ? null : Failure($"{errors.Count} object(s) {what}: {Errors(errors)}", Objects(decisions, new Dictionary<ResourceKey, ApplyOutcome>(), null, what));
    }

    /// <summary>Hooks that would replace somebody else's object: the revision is refused before anything is written, each named.</summary>
    public SyncResult HooksRefused(IReadOnlyList<Decision> decisions, IReadOnlyList<string> refused) =>
        Failure($"{refused.Count} hook(s) refused; nothing was applied: {Errors(refused)}", Objects(decisions, new Dictionary<ResourceKey, ApplyOutcome>(), null, "a hook was refused"));

    /// <summary>The revision writes outside the target's confinement: refused as a whole, every object outside named.</summary>
    public SyncResult Outside(IReadOnlyList<ResourceKey> keys, IReadOnlyList<Diff.Confinement.ConfinementViolation> violations)
    {
        var why = violations.ToDictionary(v => v.Key, v => v.Reason);
        var objects = keys.Select(k => why.TryGetValue(k, out var reason)
            ? new ObjectResult(k, SyncAction.Failed, HealthStatus.Unknown, $"{k}: outside the target's confinement: {reason}")
            : new ObjectResult(k, SyncAction.NotApplied, HealthStatus.Unknown, "not applied: the revision writes outside the target's confinement")).ToList();
        return Failure($"{violations.Count} object(s) outside the target's confinement; nothing was applied: {Errors(violations.Select(v => v.ToString()).ToList())}", objects);
    }

    /// <summary>A write failed in a stage: what was written is reported as such, the rest as not applied.</summary>
    public SyncResult ApplyFailed(IReadOnlyList<Decision> decisions, IReadOnlyDictionary<ResourceKey, ApplyOutcome> outcomes)
    {
        var errors = outcomes.Values.OfType<ApplyOutcome.Failed>().Select(f => f.Error).ToList();
        var why = "an earlier stage failed";
        return Failure($"{errors.Count} object(s) failed to apply; later stages were not applied: {Errors(errors)}", Objects(decisions, outcomes, null, why))
            with { Interrupted = outcomes.Values.Any(o => o is ApplyOutcome.Applied) };
    }

    /// <summary>A PreSync or Sync hook failed: the revision fails, naming the hook; nothing after it was applied.</summary>
    public SyncResult HookFailed(IReadOnlyList<Decision> decisions, IReadOnlyDictionary<ResourceKey, ApplyOutcome> outcomes, IReadOnlyList<HookResult> hooks) =>
        Failure(HookErrors(hooks, "nothing after it was applied"), Objects(decisions, outcomes, null, "a hook failed"))
            with { Hooks = hooks, Interrupted = outcomes.Values.Any(o => o is ApplyOutcome.Applied) };

    /// <summary>A PostSync hook failed after the revision was Synced: the pass fails (what was applied stays).</summary>
    public static SyncResult PostSyncFailed(SyncResult synced, IReadOnlyList<HookResult> hooks) =>
        synced with { Phase = SyncPhase.Failed, Message = HookErrors(hooks, "the revision was applied"), Hooks = hooks, Interrupted = true };

    /// <summary>A wave did not become Healthy in time: later waves were not applied; names the objects.</summary>
    public SyncResult WaveNotHealthy(IReadOnlyList<Decision> decisions, IReadOnlyDictionary<ResourceKey, ApplyOutcome> outcomes, int wave, HealthReport health) =>
        Failure(
            health.Preempted ? $"wave {wave} was not Healthy yet when a newer commit arrived; later waves were not applied"
                : $"wave {wave} not Healthy in time; later waves were not applied: {Redactor.Redact(NotHealthy(health))}",
            Objects(decisions, outcomes, health, $"wave {wave} did not become Healthy"))
            with { Interrupted = outcomes.Values.Any(o => o is ApplyOutcome.Applied) };

    private static string HookErrors(IReadOnlyList<HookResult> hooks, string consequence) =>
        $"{Errors(hooks.Where(h => h.Outcome == HookOutcome.Failed).Select(h => h.Message).ToList())}; {consequence}";

    public SyncResult Complete(
        IReadOnlyList<Decision> decisions, IReadOnlyDictionary<ResourceKey, ApplyOutcome> outcomes, PruneOutcome pruned, HealthReport health, bool emptyGuard)
    {
        var objects = Objects(decisions, outcomes, health, "the pass stopped").Concat(pruned.Results).ToList();
        var aggregate = HealthAssessor.Aggregate(health.Objects.Values);
        var failures = objects.Where(o => o.Action == SyncAction.Failed).Select(o => o.Message ?? o.Key.ToString()).ToList();
        var unhealthy = Request.Timeout is not null && !Request.DryRun && !health.Preempted && aggregate.Status != HealthStatus.Healthy;
        var phase = failures.Count > 0 || emptyGuard || unhealthy ? SyncPhase.Failed : SyncPhase.Synced;
        var message = failures.Count > 0 ? Errors(failures)
            : emptyGuard ? "the revision renders no objects; nothing was pruned (the target does not allow empty)"
            : unhealthy ? $"not Healthy after {Request.Timeout!.Value.TotalSeconds:0}s: {Redactor.Redact(NotHealthy(health))}"
            : health.Preempted ? $"{Summary(objects)}; health wait cut short: a newer commit is waiting"
            : Summary(objects);
        var cluster = Request.DryRun || emptyGuard ? ClusterRevision : Request.Revision;
        return new SyncResult(Request.Revision, Request.Target.Name, phase, aggregate.Status, message, objects) { ClusterRevision = cluster };
    }

    private SyncResult Result(SyncPhase phase, HealthStatus health, string message, IReadOnlyList<ObjectResult> objects) =>
        new(Request.Revision, Request.Target.Name, phase, health, message, objects) { ClusterRevision = ClusterRevision };

    private List<ObjectResult> Objects(IReadOnlyList<Decision> decisions, IReadOnlyDictionary<ResourceKey, ApplyOutcome> outcomes, HealthReport? health, string whyNotApplied) =>
        decisions.Select(d => Describe(d, outcomes.GetValueOrDefault(d.Key), whyNotApplied) with
        {
            Health = health?.Objects.GetValueOrDefault(d.Key)?.Status ?? HealthStatus.Unknown,
            HealthReason = health?.Objects.GetValueOrDefault(d.Key)?.Reason is { } reason ? Redactor.Redact(reason) : null,
            Wave = d.Prepared.Wave,
        }).ToList();

    private ObjectResult Describe(Decision d, ApplyOutcome? outcome, string whyNotApplied)
    {
        var changes = d is Decision.Apply a ? a.Drift.Changes : d is Decision.TakeOver t ? t.Drift.Changes : [];
        var planned = Planned(d);
        return (d, outcome) switch
        {
            (Decision.Reject r, _) => new ObjectResult(d.Key, SyncAction.Failed, HealthStatus.Unknown, r.Error),
            (_, ApplyOutcome.Failed f) => new ObjectResult(d.Key, SyncAction.Failed, HealthStatus.Unknown, f.Error),
            (Decision.Unchanged, _) => new ObjectResult(d.Key, SyncAction.Unchanged, HealthStatus.Unknown),
            (_, ApplyOutcome.Applied) => new ObjectResult(d.Key, planned, HealthStatus.Unknown, Note(d)) { Changes = changes },
            (Decision.Defer, _) when Request.DryRun => new ObjectResult(d.Key, SyncAction.Created, HealthStatus.Unknown, "validated once the Namespace or CRD it needs exists"),
            _ when Request.DryRun => new ObjectResult(d.Key, planned, HealthStatus.Unknown, Note(d)) { Changes = changes },
            _ => new ObjectResult(d.Key, SyncAction.NotApplied, HealthStatus.Unknown, $"would be {planned.ToContract()}; not applied: {whyNotApplied}") { Changes = changes },
        };
    }

    /// <summary>What the decision sets out to do, in the contract's words.</summary>
    private static SyncAction Planned(Decision d) => d switch
    {
        _ when d.Object.Adopts && d.Writes => SyncAction.Adopted,
        Decision.Apply a => a.Drift.Action,
        Decision.TakeOver or Decision.Recreate => SyncAction.Configured,
        Decision.Defer => d.Object.Live is null ? SyncAction.Created : SyncAction.Configured,
        _ => SyncAction.Unchanged,
    };

    private static string? Note(Decision d) => d switch
    {
        Decision.TakeOver when d.Object.Adopts => "adopted: it existed without being a member of the target; took over fields owned by kubectl",
        _ when d.Object.Adopts && d.Writes => "adopted: it existed without being a member of the target",
        Decision.TakeOver => "took over fields owned by kubectl",
        Decision.Recreate => "recreated: an immutable field changed",
        _ => null,
    };

    private static string Errors(IReadOnlyList<string> errors) =>
        string.Join("; ", errors.Take(ErrorsInMessage)) + (errors.Count > ErrorsInMessage ? $"; and {errors.Count - ErrorsInMessage} more" : string.Empty);

    private static string NotHealthy(HealthReport health) =>
        string.Join("; ", health.Objects.Where(h => h.Value.Status != HealthStatus.Healthy).Take(ErrorsInMessage).Select(h => $"{h.Key} is {h.Value.Status} ({h.Value.Reason})"));

    private static string Summary(IReadOnlyList<ObjectResult> objects) =>
        string.Join(' ', objects.GroupBy(o => o.Action).OrderBy(g => g.Key).Select(g => $"{g.Key.ToContract()}={g.Count()}"));
}
