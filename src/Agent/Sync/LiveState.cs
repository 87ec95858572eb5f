using System.Text.Json.Nodes;
using GitOps.Agent.Kube;
using GitOps.Diff.Identity;

namespace GitOps.Agent.Sync;

/// <summary>
/// Live objects, read with one LIST per (kind, namespace) — never a GET per object. Collections
/// that hold only members of the set are listed by the part-of label; collections with objects
/// new to the set are listed whole, so objects created by someone else are found and adopted.
/// </summary>
internal sealed class LiveState(KubeApi api, int parallelism)
{
    public sealed record Collection(ApiResource Resource, string? Namespace, bool MembersOnly);

    public async Task<Dictionary<ResourceKey, JsonObject>> LoadAsync(IEnumerable<Collection> collections, string applySetId, CancellationToken ct)
    {
        // A collection listed whole covers the member-only listing of the same collection.
        var merged = collections
            .GroupBy(c => (c.Resource, c.Namespace))
            .Select(g => new Collection(g.Key.Resource, g.Key.Namespace, g.All(c => c.MembersOnly)));
        var result = new Dictionary<ResourceKey, JsonObject>();
        var gate = new Lock();
        await Parallel.ForEachAsync(merged, Options(ct), async (c, token) =>
        {
            var selector = c.MembersOnly ? $"{ManifestValidator.PartOfLabel}={applySetId}" : null;
            var list = await api.ListAsync(c.Resource.Path(c.Namespace), selector, token);
            lock (gate)
            {
                foreach (var item in (list["items"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    // List items of built-in kinds carry no apiVersion/kind; restore them.
                    item["apiVersion"] = c.Resource.ApiVersion;
                    item["kind"] = c.Resource.Kind;
                    var ns = c.Resource.Namespaced ? (string?)item["metadata"]?["namespace"] : null;
                    result[new ResourceKey(c.Resource.Group, c.Resource.Kind, ns, (string)item["metadata"]!["name"]!)] = item;
                }
            }
        });
        return result;
    }

    private ParallelOptions Options(CancellationToken ct) => new() { MaxDegreeOfParallelism = parallelism, CancellationToken = ct };
}
