using System.Text.Json.Nodes;
using GitOps.Agent.Kube;
using GitOps.Diff.Identity;

namespace GitOps.Agent.Kube.Live;

/// <summary>
/// Live objects, read with one LIST per (kind, namespace) — never a GET per object. Collections
/// that hold only members of the set are listed by the part-of label; collections with objects
/// new to the set are listed whole, so objects created by someone else are found and adopted.
/// </summary>
internal sealed class LiveState(IClusterClient api, int parallelism) : ILiveSource
{
    /// <param name="MembersOnly">Every object asked for here is a member of the set: the part-of label finds them all.</param>
    public sealed record Collection(ApiResource Resource, string? Namespace, bool MembersOnly)
    {
        /// <summary>The objects of the revision asked for here that are not members yet (a cache may read them alone instead of the whole collection).</summary>
        public IReadOnlyList<string> NewNames { get; init; } = [];
    }

    public async Task<Dictionary<ResourceKey, JsonObject>> LoadAsync(IEnumerable<Collection> collections, string applySetId, CancellationToken ct)
    {
        var result = new Dictionary<ResourceKey, JsonObject>();
        var gate = new Lock();
        await Parallel.ForEachAsync(Merge(collections), Options(ct), async (c, token) =>
        {
            var selector = c.MembersOnly ? $"{ManifestValidator.PartOfLabel}={applySetId}" : null;
            var list = await api.ListAsync(c.Resource.Path(c.Namespace), selector, token);
            lock (gate)
            {
                AddItems(c.Resource, list, result);
            }
        });
        return result;
    }

    public Task<JsonObject?> GetAsync(ApiResource resource, string ns, string name, string labelSelector, CancellationToken ct) =>
        api.GetAsync(resource.Path(ns, name), ct);

    /// <summary>Collections asked for twice (members only, and whole) are listed once, whole.</summary>
    public static IEnumerable<Collection> Merge(IEnumerable<Collection> collections) =>
        collections.GroupBy(c => (c.Resource, c.Namespace)).Select(g => new Collection(g.Key.Resource, g.Key.Namespace, g.All(c => c.MembersOnly))
        {
            NewNames = g.SelectMany(c => c.NewNames).Distinct(StringComparer.Ordinal).ToList(),
        });

    /// <summary>Adds the items of a LIST response to <paramref name="into"/>, restoring apiVersion and kind.</summary>
    public static void AddItems(ApiResource resource, JsonObject list, IDictionary<ResourceKey, JsonObject> into)
    {
        foreach (var item in (list["items"] as JsonArray ?? []).OfType<JsonObject>())
        {
            into[KeyOf(resource, item)] = item;
        }
    }

    /// <summary>List and watch items of built-in kinds carry no apiVersion/kind; restore them and key the object.</summary>
    public static ResourceKey KeyOf(ApiResource resource, JsonObject item)
    {
        item["apiVersion"] = resource.ApiVersion;
        item["kind"] = resource.Kind;
        var ns = resource.Namespaced ? (string?)item["metadata"]?["namespace"] : null;
        return new ResourceKey(resource.Group, resource.Kind, ns, (string)item["metadata"]!["name"]!);
    }

    private ParallelOptions Options(CancellationToken ct) => new() { MaxDegreeOfParallelism = parallelism, CancellationToken = ct };
}
