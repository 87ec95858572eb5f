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
internal sealed partial class SyncEngine
{
    private readonly DiscoveryCache discovery;
    private readonly ILiveSource liveState;
    private readonly InventoryStore inventories;
    private readonly Planner planner;
    private readonly Applier applier;
    private readonly Pruner pruner;
    private readonly HealthWaiter healthWaiter;

    /// <param name="live">Where live objects come from; by default a LIST per collection and pass.</param>
    public SyncEngine(KubeApi api, SyncEngineOptions options, TimeProvider clock, ILiveSource? live = null)
    {
        discovery = new DiscoveryCache(api);
        liveState = live ?? new LiveState(api, options.Parallelism);
        inventories = new InventoryStore(api, liveState);
        planner = new Planner(api, options.Parallelism);
        applier = new Applier(api, options.Parallelism, clock);
        pruner = new Pruner(api);
        healthWaiter = new HealthWaiter(api, clock);
    }

    /// <summary>Drops what this process remembers of inventories it wrote (leadership changed hands).</summary>
    public void ForgetInventories() => inventories.Forget();

    public async Task<SyncResult> RunAsync(SyncRequest request, CancellationToken ct)
    {
        var pass = new Pass(request);
        try
        {
            return await RunPassAsync(pass, ct);
        }
        catch (KubeApiException ex)
        {
            // Refused outside any one object (a LIST forbidden by RBAC, the inventory unwritable):
            // the pass fails as a whole, and says why.
            return pass.Failure($"the API server refused the pass: {pass.Redactor.Redact(ex.Message)}");
        }
    }

    private async Task<SyncResult> RunPassAsync(Pass pass, CancellationToken ct)
    {
        var request = pass.Request;
        pass.Inventory = await inventories.ReadAsync(request.Target, ct);
        if (request.Target.Source is { } source && pass.Inventory.Source is { Length: > 0 } owner && owner != source)
        {
            return pass.Failure(
                $"target '{request.Target.Name}' already syncs {owner}; use another target name for {source}, or, to move the target, "
                + $"remove the annotation {InventoryStore.SourceAnnotation} from ConfigMap {request.Target.InventoryNamespace}/{InventoryStore.ParentName(request.Target)}");
        }

        pass.Inventory = pass.Inventory with { Source = request.Target.Source ?? pass.Inventory.Source };
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

        await RecordIntentAsync(pass, ct);
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
                await RecordIntentAsync(pass, ct);
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
