using GitOps.Agent.Kube;
using GitOps.Diff.Identity;
using GitOps.Diff.Masking;
using GitOps.Diff.Order;
using GitOps.Diff.Prune;
using GitOps.Diff.Render;

namespace GitOps.Agent.Sync;

/// <summary>
/// One reconcile pass of one target at one revision: render → plan (validate everything) →
/// apply in stages → prune → health. Nothing of a revision is written until every object the
/// server can judge yet has passed a dry-run; objects whose kind or namespace the revision
/// itself creates are judged right after the definitions stage, before anything else.
/// </summary>
internal sealed partial class SyncEngine(KubeApi api, SyncEngineOptions options, TimeProvider clock)
{
    private readonly DiscoveryCache discovery = new(api);
    private readonly InventoryStore inventories = new(api);
    private readonly LiveState liveState = new(api, options.Parallelism);
    private readonly Planner planner = new(api, options.Parallelism);
    private readonly Applier applier = new(api, options.Parallelism, clock);
    private readonly Pruner pruner = new(api);
    private readonly HealthWaiter healthWaiter = new(api, clock);

    public async Task<SyncResult> RunAsync(SyncRequest request, CancellationToken ct)
    {
        var pass = new Pass(request);
        pass.Inventory = await inventories.ReadAsync(request.Target, ct);
        try
        {
            var manifests = ManifestRenderer.Render(request.Files);
            pass.Redactor = SecretRedactor.For(manifests.Select(m => m.Object));
            var scopes = await ResolveScopesAsync(manifests, ct);
            var desired = ManifestValidator.Validate(manifests, gk => scopes.GetValueOrDefault(gk), request.Target.DefaultNamespace);
            pass.Objects = await PrepareAsync(desired, pass.Inventory.Id, ct);
        }
        catch (ManifestException ex)
        {
            return pass.InputFailure(ex);
        }

        var prune = await LoadLiveAsync(pass, ct);
        await planner.PlanAsync(pass.Objects.Where(p => !p.Deferred), pass.Inventory, request.Target, pass.Redactor, ct);
        if (pass.Rejected("rejected by the server; nothing was applied") is { } rejected)
        {
            return rejected;
        }

        if (request.DryRun)
        {
            return await FinishAsync(pass, prune, ct);
        }

        await WriteInventoryAsync(pass, includeOld: true, ct);
        var stages = ApplyOrder.Stages(pass.Objects, p => p.Key);
        foreach (var stage in stages)
        {
            if (await PlanDeferredAsync(pass, stage, ct) is { } failed)
            {
                return failed;
            }

            await applier.ApplyAsync(stage, pass.Redactor, ct);
            await applier.WaitEstablishedAsync(stage, ct);
            if (pass.Rejected("failed to apply; later stages were not applied") is { } applyFailed)
            {
                await WriteInventoryAsync(pass, includeOld: true, ct);
                return applyFailed;
            }
        }

        return await FinishAsync(pass, prune, ct);
    }
}

/// <summary>What a pass needs to start: the target, the revision and its files.</summary>
internal sealed record SyncRequest(SyncTarget Target, string Revision, IReadOnlyList<ManifestFile> Files)
{
    /// <summary>Plan only (gitops diff, sync --dry-run): nothing is written.</summary>
    public bool DryRun { get; init; }

    /// <summary>Wait this long for every object to become Healthy; null judges health once.</summary>
    public TimeSpan? Timeout { get; init; }
}

/// <summary>Tuning of the engine, with defaults that suit a small cluster and a large one.</summary>
internal sealed record SyncEngineOptions
{
    /// <summary>Requests in flight at once within a stage (default 8).</summary>
    public int Parallelism { get; init; } = 8;
}
