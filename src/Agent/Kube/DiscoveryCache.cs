using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace GitOps.Agent.Kube;

/// <summary>
/// Kind → resource and scope, fetched lazily per API group version (only the versions a
/// revision uses cost a request) and refetched when a kind is missing, which is how a
/// kind served by a CRD applied earlier in the same pass becomes known.
/// </summary>
internal sealed class DiscoveryCache(IClusterClient api) : IDiscovery
{
    private readonly ConcurrentDictionary<string, Task<Dictionary<string, ApiResource>>> versions = new(StringComparer.Ordinal);

    /// <summary>The resource serving <paramref name="kind"/> at <paramref name="apiVersion"/>, or null if the server has none.</summary>
    public async Task<ApiResource?> ResolveAsync(string apiVersion, string kind, CancellationToken ct)
    {
        var resources = await GetAsync(apiVersion, ct);
        if (resources.TryGetValue(kind, out var resource))
        {
            return resource;
        }

        Invalidate(apiVersion); // a kind served since (a CRD applied in this pass): look once more
        return (await GetAsync(apiVersion, ct)).GetValueOrDefault(kind);
    }

    public void Invalidate(string apiVersion) => versions.TryRemove(apiVersion, out _);

    /// <summary>
    /// Every namespaced kind that can be listed, at its group's preferred version (core v1 first).
    /// Fetched fresh each time: it is asked for only before a Namespace is pruned.
    /// </summary>
    public async Task<IReadOnlyList<ApiResource>> NamespacedListableAsync(CancellationToken ct)
    {
        var groups = await api.GetAsync("/apis", ct);
        var preferred = (groups?["groups"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(g => (string?)g["preferredVersion"]?["groupVersion"]).OfType<string>();
        var result = new List<ApiResource>();
        foreach (var groupVersion in preferred.Prepend("v1"))
        {
            var (group, version) = GitOps.Diff.Identity.GroupKind.SplitApiVersion(groupVersion);
            var list = await api.GetAsync(group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}", ct);
            result.AddRange((list?["resources"] as JsonArray ?? []).OfType<JsonObject>()
                .Where(r => (bool?)r["namespaced"] == true && !((string?)r["name"] ?? "/").Contains('/', StringComparison.Ordinal)
                    && (r["verbs"] as JsonArray ?? []).Any(v => (string?)v == "list"))
                .Select(r => new ApiResource(group, version, (string)r["kind"]!, (string)r["name"]!, Namespaced: true)));
        }

        return result;
    }

    /// <summary>
    /// One fetch per version, shared by concurrent callers and not tied to any one caller's
    /// cancellation; a fetch that failed is forgotten so the next pass tries again.
    /// </summary>
    private async Task<Dictionary<string, ApiResource>> GetAsync(string apiVersion, CancellationToken ct)
    {
        var fetch = versions.GetOrAdd(apiVersion, v => FetchAsync(v, CancellationToken.None));
        try
        {
            return await fetch.WaitAsync(ct);
        }
        catch (Exception) when (fetch.IsFaulted || fetch.IsCanceled)
        {
            versions.TryRemove(new KeyValuePair<string, Task<Dictionary<string, ApiResource>>>(apiVersion, fetch));
            throw;
        }
    }

    private async Task<Dictionary<string, ApiResource>> FetchAsync(string apiVersion, CancellationToken ct)
    {
        var (group, version) = GitOps.Diff.Identity.GroupKind.SplitApiVersion(apiVersion);
        var path = group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}";
        var list = await api.GetAsync(path, ct);
        var result = new Dictionary<string, ApiResource>(StringComparer.Ordinal);
        foreach (var r in (list?["resources"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = (string?)r["name"];
            var kind = (string?)r["kind"];
            if (name is null || kind is null || name.Contains('/', StringComparison.Ordinal))
            {
                continue; // subresources (deployments/scale, pods/log) are not kinds we apply
            }

            result[kind] = new ApiResource(group, version, kind, name, (bool?)r["namespaced"] ?? false);
        }

        return result;
    }
}
