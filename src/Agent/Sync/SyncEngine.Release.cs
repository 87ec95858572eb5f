using GitOps.Diff.Health;
using GitOps.Diff.Masking;
using GitOps.Diff.Release;

namespace GitOps.Agent.Sync;

/// <summary>
/// What a pass knows of its release: the revision's hooks, whether they run (only on a pass
/// that brings a new revision: the inventory records the last revision applied, so a self-heal
/// or no-op pass of the same revision runs none), and the deadline shared by its waves and hooks.
/// </summary>
internal sealed record Release(IReadOnlyList<PreparedHook> Hooks, bool Runs, DateTimeOffset Deadline)
{
    public TimeSpan Remaining(TimeProvider clock) => Deadline - clock.GetUtcNow() is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero;

    public bool Has(HookPhase phase) => Hooks.Any(h => h.Role.In(phase));

    /// <summary>Results for the hooks of <paramref name="phase"/> that this pass does not run, and why.</summary>
    public IReadOnlyList<HookResult> NotRun(HookPhase phase, string why) =>
        Hooks.Where(h => h.Role.In(phase)).Select(h => new HookResult(h.Key, phase, HookOutcome.Skipped, $"not run: {why}")).ToList();

    public static bool AnyFailed(IEnumerable<HookResult> results) => results.Any(r => r.Outcome == HookOutcome.Failed);
}

internal sealed partial class SyncEngine
{
    /// <summary>
    /// An object whose Namespace or CRD the revision creates in a later wave could only be
    /// refused half-way through the release: refuse it now, before anything is written.
    /// </summary>
    private static IReadOnlyList<Decision> WaveConflicts(IReadOnlyList<Decision> decisions)
    {
        var namespaces = decisions.Where(d => d.Key.GroupKind == Diff.Prune.PrunePlanner.NamespaceKind).ToDictionary(d => d.Key.Name, d => d.Prepared.Wave);
        var kinds = decisions.Where(d => d.Key.Group == "apiextensions.k8s.io" && d.Key.Kind == "CustomResourceDefinition")
            .Select(d => (Kind: $"{(string?)d.Prepared.Body["spec"]?["names"]?["kind"]}.{(string?)d.Prepared.Body["spec"]?["group"]}", d.Prepared.Wave, d.Key))
            .DistinctBy(k => k.Kind).ToDictionary(k => k.Kind);
        return decisions.Select(d =>
        {
            var wave = d.Prepared.Wave;
            var why = d is not Decision.Defer ? null
                : d.Key.Namespace is { } ns && namespaces.TryGetValue(ns, out var nsWave) && nsWave > wave ? $"its Namespace {ns} is in wave {nsWave}"
                : kinds.TryGetValue($"{d.Key.Kind}.{d.Key.Group}", out var crd) && crd.Wave > wave ? $"its {crd.Key} is in wave {crd.Wave}"
                : null;
            return why is null ? d : new Decision.Reject(d.Object, $"{d.Key}: in wave {wave}, but {why}; put it in the same wave or a later one");
        }).ToList();
    }

    /// <summary>
    /// Every hook the pass would run is judged before anything is written, as the members are: a
    /// hook replaces (deletes) the object of its name, so only this target's own hook, or an
    /// unmanaged object it adopts, may be there; and the server must accept the hook itself (a
    /// dry-run create: an invalid Job, a kind the account may not create). A hook whose kind is
    /// not served yet (its CRD comes with the revision) is checked when it runs.
    /// </summary>
    private async Task<IReadOnlyList<string>> RefusedHooksAsync(SyncRequest request, Prepared prepared, ApplySetInventory inventory, SecretRedactor redactor, CancellationToken ct)
    {
        var refused = new List<string>();
        if (inventory.Revision == request.Revision)
        {
            return refused; // no hook runs
        }

        var namespacesCreated = prepared.Objects.Where(o => o.Key.GroupKind == Diff.Prune.PrunePlanner.NamespaceKind).Select(o => o.Key.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var hook in prepared.Hooks.Where(h => h.Object.Resource is not null && h.Role.Hooks.Count > 0))
        {
            if (await hookRunner.ClaimAsync(hook, ct) is { Verdict: HookClaimVerdict.Refuse, Reason: { } why })
            {
                refused.Add(why);
            }
            else if (await hookRunner.DryRunAsync(hook, namespacesCreated, redactor, ct) is { } rejected)
            {
                refused.Add(rejected);
            }
        }

        return refused;
    }

    private Release ReleaseOf(SyncRequest request, Prepared prepared, ApplySetInventory inventory) =>
        new(prepared.Hooks, Runs: !request.DryRun && inventory.Revision != request.Revision, clock.GetUtcNow() + (request.Timeout ?? options.ReleaseTimeout));

    /// <summary>Hooks of a pass that will not run them, so the report still lists every hook of the revision.</summary>
    private static IReadOnlyList<HookResult> NotRunning(Release release, SyncRequest request) =>
        release.Runs ? []
        : Enum.GetValues<HookPhase>().SelectMany(p => release.NotRun(p, request.DryRun ? "dry run" : "the cluster is at this revision already; hooks run once per revision")).ToList();

    /// <summary>PostSync once the revision is Synced and Healthy; otherwise its hooks are reported as not run.</summary>
    private async Task<SyncResult> PostSyncAsync(SyncResult result, PassReport report, Release release, CancellationToken ct)
    {
        if (!release.Runs || !release.Has(HookPhase.PostSync))
        {
            return result;
        }

        if (result.Phase != SyncPhase.Synced || result.Health != HealthStatus.Healthy)
        {
            return result with { Hooks = [.. result.Hooks, .. release.NotRun(HookPhase.PostSync, $"the revision is {result.Phase} {result.Health}")] };
        }

        var ran = await hookRunner.RunPhaseAsync(release.Hooks, HookPhase.PostSync, release.Remaining(clock), report.Redactor, ct);
        var hooks = (IReadOnlyList<HookResult>)[.. result.Hooks, .. ran];
        return Release.AnyFailed(ran) ? PassReport.PostSyncFailed(result, hooks) : result with { Hooks = hooks };
    }

    /// <summary>SyncFail hooks when a pass that brought a new revision failed (not for input errors: nothing was judged).</summary>
    private async Task<SyncResult> SyncFailAsync(SyncResult result, PassReport report, Release release, CancellationToken ct)
    {
        if (!release.Runs || result.Phase != SyncPhase.Failed || result.InputError || !release.Has(HookPhase.SyncFail))
        {
            return result;
        }

        var ran = await hookRunner.RunPhaseAsync(release.Hooks, HookPhase.SyncFail, release.Remaining(clock) + options.ReleaseTimeout / 10, report.Redactor, ct);
        return result with { Hooks = [.. result.Hooks, .. ran] };
    }
}
