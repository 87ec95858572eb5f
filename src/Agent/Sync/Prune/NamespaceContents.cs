using System.Text.Json.Nodes;
using GitOps.Agent.Kube;
using GitOps.Agent.Kube.Live;
using GitOps.Diff.Identity;

namespace GitOps.Agent.Sync;

/// <summary>
/// What a namespace holds besides a set's members: one LIST per namespaced kind the server
/// serves, filtered on the server to objects not labelled as members. It costs a request per
/// kind, so it runs only when a Namespace is about to be pruned.
/// </summary>
internal sealed class NamespaceContents(IClusterClient api, IDiscovery discovery)
{
    public async Task<IReadOnlyList<(ResourceKey Key, JsonObject Object)>> NonMembersAsync(string ns, string applySetId, CancellationToken ct)
    {
        var found = new List<(ResourceKey, JsonObject)>();
        var selector = $"{ManifestValidator.PartOfLabel}!={applySetId}";
        foreach (var resource in await discovery.NamespacedListableAsync(ct))
        {
            JsonObject list;
            try
            {
                list = await api.ListAsync(resource.Path(ns), selector, ct);
            }
            catch (KubeApiException ex) when (ex.IsNotFound)
            {
                continue; // the kind went away since discovery (its CRD was deleted): nothing of it is left
            }

            foreach (var item in (list["items"] as JsonArray ?? []).OfType<JsonObject>())
            {
                found.Add((LiveState.KeyOf(resource, item), item));
            }
        }

        return found;
    }
}
