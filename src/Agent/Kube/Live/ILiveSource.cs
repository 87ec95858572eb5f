using System.Text.Json.Nodes;
using GitOps.Diff.Identity;

namespace GitOps.Agent.Kube.Live;

/// <summary>
/// Where a pass reads live objects from. <see cref="LiveState"/> LISTs every time (the CLI);
/// the agent's <see cref="Kube.WatchCache"/> answers member collections from watches, so a
/// pass at rest costs no request at all.
/// </summary>
internal interface ILiveSource
{
    /// <summary>Live objects of <paramref name="collections"/> by key; an error means the pass cannot judge live state.</summary>
    Task<Dictionary<ResourceKey, JsonObject>> LoadAsync(IEnumerable<LiveState.Collection> collections, string applySetId, CancellationToken ct);

    /// <summary>One object, or null when absent (the ApplySet parent).</summary>
    Task<JsonObject?> GetAsync(Kube.ApiResource resource, string ns, string name, string labelSelector, CancellationToken ct);
}
