using GitOps.Agent.Kube;
using GitOps.Agent.Kube.Live;
using GitOps.Agent.Render;
using GitOps.Agent.Sync;

namespace GitOps.Agent.Hosting;

/// <summary>
/// The engines of the agent's targets: one shared engine for the targets that use the agent's own
/// account (reading through the shared watch cache), and one per target that impersonates a
/// ServiceAccount. An impersonated target reads live state with a LIST per pass as its account:
/// the shared cache holds what the agent's account can see, and answering a tenant from it would
/// let the tenant judge (and prune) by objects RBAC hides from it. Its inventory is kept by the
/// agent's own account, in the agent's namespace. Every engine renders through one
/// <see cref="IRenderer"/>, so the render cache and its bound (<see cref="RenderOptions.CacheBytes"/>)
/// are the agent's, not one per tenant.
/// </summary>
internal sealed class SyncEngines
{
    private readonly SyncEngine shared;
    private readonly Dictionary<string, SyncEngine> impersonated;

    /// <param name="renderer">The renderer every engine shares; by default the tools <see cref="RenderOptions.FromEnvironment"/> names.</param>
    public SyncEngines(KubeApi api, WatchCache cache, IEnumerable<TargetConfig> targets, SyncEngineOptions options, TimeProvider clock, IRenderer? renderer = null)
    {
        Renderer = renderer ?? new ToolRenderer(RenderOptions.FromEnvironment());
        shared = new SyncEngine(api, options, clock, cache, renderer: Renderer);
        impersonated = targets.Where(t => t.ServiceAccount is not null).ToDictionary(
            t => t.Name,
            t => new SyncEngine(api.Impersonating(t.ServiceAccount!), options, clock, live: null, own: (api, cache), renderer: Renderer),
            StringComparer.Ordinal);
    }

    /// <summary>The one renderer (and render cache) of every engine.</summary>
    public IRenderer Renderer { get; }

    public SyncEngine For(SyncTarget target) => impersonated.GetValueOrDefault(target.Name) ?? shared;

    /// <inheritdoc cref="SyncEngine.ForgetInventories"/>
    public void ForgetInventories(IReadOnlyCollection<string> targets)
    {
        shared.ForgetInventories(targets);
        foreach (var (name, engine) in impersonated.Where(e => targets.Contains(e.Key)))
        {
            engine.ForgetInventories([name]);
        }
    }
}
