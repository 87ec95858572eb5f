using GitOps.Agent.Kube;
using GitOps.Agent.Kube.Live;
using GitOps.Agent.Render;
using GitOps.Diff.Masking;
using GitOps.Diff.Render;

namespace GitOps.Agent.Sync;

/// <summary>
/// One reconcile pass of one target at one revision: prepare → observe → plan (validate
/// everything) → apply in stages → prune → health. Each stage returns a value the next one
/// takes. Nothing of a revision is written until every object the server can judge yet has
/// passed a dry-run; objects whose kind or namespace the revision itself creates are judged
/// right after the definitions stage, before anything else is written.
/// </summary>
internal sealed partial class SyncEngine
{
    private readonly IDiscovery discovery;
    private readonly InventoryStore inventories;
    private readonly Preparer preparer;
    private readonly Observer observer;
    private readonly Planner planner;
    private readonly Applier applier;
    private readonly Pruner pruner;
    private readonly HealthWaiter healthWaiter;
    private readonly HookRunner hookRunner;
    private readonly SyncEngineOptions options;
    private readonly TimeProvider clock;
    private readonly IRenderer renderer;
    private readonly ClusterCapabilities capabilities;

    /// <param name="live">Where live objects come from; by default a LIST per collection and pass.</param>
    /// <param name="own">
    /// The client (and live source) the inventory is kept with, when <paramref name="api"/> is an
    /// impersonated one: the ApplySet parent lives in the agent's namespace, where a tenant's account
    /// has no business writing (it could edit another tenant's inventory). By default <paramref name="api"/>.
    /// </param>
    /// <param name="renderer">Renders Kustomize folders and Helm charts; by default the tools <see cref="RenderOptions.FromEnvironment"/> names.</param>
    public SyncEngine(IClusterClient api, SyncEngineOptions options, TimeProvider clock, ILiveSource? live = null, (IClusterClient Api, ILiveSource Live)? own = null, IRenderer? renderer = null)
    {
        this.renderer = renderer ?? new ToolRenderer(RenderOptions.FromEnvironment());
        capabilities = new ClusterCapabilities(api);
        discovery = new DiscoveryCache(api);
        live ??= new LiveState(api, options.Parallelism);
        inventories = own is { } o ? new InventoryStore(o.Api, o.Live, options.Inventory, clock) : new InventoryStore(api, live, options.Inventory, clock);
        preparer = new Preparer(discovery);
        observer = new Observer(discovery, live, api);
        planner = new Planner(api, options.Parallelism);
        applier = new Applier(api, options, clock);
        pruner = new Pruner(api, new NamespaceContents(api, discovery));
        healthWaiter = new HealthWaiter(api, options.HealthPollInterval, clock, options.HealthRules);
        hookRunner = new HookRunner(api, discovery, options, clock);
        this.options = options;
        this.clock = clock;
    }

    /// <summary>What this engine renders Kustomize folders and Helm charts with.</summary>
    public IRenderer Renderer => renderer;

    /// <summary>The target's inventory as a pass starts with it: to start early, see <see cref="SyncRequest.InventoryRead"/>.</summary>
    public Task<ApplySetInventory> ReadInventoryAsync(SyncTarget target, CancellationToken ct) => inventories.ReadAsync(target, ct);

    /// <summary>Drops what this process remembers of the inventories it wrote for these targets (their Lease changed hands).</summary>
    public void ForgetInventories(IEnumerable<string> targets) => inventories.Forget(targets);

    /// <summary>
    /// Runs the pass. A refusal outside any one object (a LIST forbidden by RBAC) is a Failed
    /// result that says why; an unreachable server, a cancellation and a lost Lease are exceptions
    /// for the caller (<see cref="Runner.PassRunner"/>), which knows how to report them.
    /// </summary>
    public async Task<SyncResult> RunAsync(SyncRequest request, CancellationToken ct)
    {
        var report = new PassReport(request, null, SecretRedactor.None);
        // Plain manifests are parsed while the inventory read is on the network (for a CLI run that
        // is the connection's TLS handshake too): neither needs the other. Rendered ones wait.
        var parsing = request.Render is null ? Task.Run(() => ManifestRenderer.Render(request.Files), ct) : null;
        try
        {
            var inventory = await (request.InventoryRead ?? inventories.ReadAsync(request.Target, ct));
            PhaseClock.Mark($"inventory read: {inventory.Members.Count} members");
            report = report with { ClusterRevision = inventory.Revision };
            if (SourceConflict(request.Target, inventory) is { } conflict)
            {
                return report.Failure(conflict);
            }

            inventory = inventory with { Source = request.Target.Source ?? inventory.Source };
            Prepared prepared;
            try
            {
                var manifests = parsing is not null ? await parsing : ManifestRenderer.Render(await RenderAsync(request.Render!, ct));
                prepared = await preparer.PrepareAsync(manifests, request.Target, inventory.Id, ct);
            }
            catch (ManifestException ex)
            {
                return report.InputFailure(ex);
            }
            catch (RenderException ex)
            {
                return report.Failure(ex.Message) with { InputError = true };
            }

            PhaseClock.Mark($"prepared {prepared.Objects.Count} objects");
            report = report with { Redactor = prepared.Redactor };
            // Hooks are written too (and replaced, i.e. deleted, first): confined exactly as members are.
            var keys = prepared.Objects.Select(o => o.Key).Concat(prepared.Hooks.Select(h => h.Key)).ToList();
            if (request.Target.Confinement.Check(keys) is { Count: > 0 } outside)
            {
                return report.Outside(keys, outside);
            }

            return await RunPreparedAsync(request, report, prepared, inventory, ct);
        }
        catch (KubeApiException ex)
        {
            return report.Failure($"the API server refused the pass: {report.Redactor.Redact(ex.Message)}");
        }
        catch (InventoryException ex)
        {
            return report.Failure(ex.Message); // too long to store (checked before any write) or unreadable
        }
    }

    private async Task<SyncResult> RunPreparedAsync(SyncRequest request, PassReport report, Prepared prepared, ApplySetInventory inventory, CancellationToken ct)
    {
        var observed = await observer.ObserveAsync(prepared.Objects, inventory, ct);
        PhaseClock.Mark("observed");
        var decisions = WaveConflicts(await planner.PlanAsync(observed.Objects, inventory, request.Target, prepared.Redactor, ct));
        PhaseClock.Mark("planned");
        if (report.Rejected(decisions, "rejected by the server; nothing was applied") is { } rejected)
        {
            return rejected;
        }

        if (await RefusedHooksAsync(request, prepared, inventory, prepared.Redactor, ct) is { Count: > 0 } refused)
        {
            return report.HooksRefused(decisions, refused);
        }

        var release = ReleaseOf(request, prepared, inventory);
        if (request.DryRun)
        {
            return await FinishAsync(request, report, new Applied(decisions, new Dictionary<Diff.Identity.ResourceKey, ApplyOutcome>(), inventory), observed, release, ct);
        }

        if (request.Applying is { } applying && (decisions.Any(d => d.Writes || d is Decision.Defer) || request.Timeout is not null || (release.Runs && release.Hooks.Count > 0)))
        {
            await applying(ct);
        }

        try
        {
            var applied = await ApplyStagesAsync(request, report, decisions, inventory, release, ct);
            var result = applied.Failure ?? await FinishAsync(request, report, applied, observed, release, ct);
            return await SyncFailAsync(result, report, release, ct);
        }
        catch (KubeApiException ex)
        {
            // Refused after writes began (a 429 on the inventory, a 5xx during the health wait):
            // what was written stays, and the note must not claim the cluster is where it was.
            return report.Failure($"the API server refused the pass: {report.Redactor.Redact(ex.Message)}") with { Interrupted = true };
        }
    }

    /// <summary>Helm sees the cluster's version and API versions; Kustomize needs nothing of it.</summary>
    private async Task<IReadOnlyList<ManifestFile>> RenderAsync(RenderJob job, CancellationToken ct)
    {
        if (job.Kind == Git.SourceKind.Helm)
        {
            job = job with { Capabilities = await capabilities.GetAsync(ct) };
        }

        return await renderer.RenderAsync(job, ct);
    }

    private static string? SourceConflict(SyncTarget target, ApplySetInventory inventory) =>
        target.Source is { } source && inventory.Source is { Length: > 0 } owner && owner != source
            ? $"target '{target.Name}' already syncs {owner}; use another target name for {source}, or, to move the target, "
              + $"remove the annotation {InventoryStore.SourceAnnotation} from ConfigMap {target.InventoryNamespace}/{InventoryStore.ParentName(target)}"
            : null;
}
