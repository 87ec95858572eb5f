using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace GitOps.Agent.Kube;

/// <summary>
/// Kind → resource and scope, fetched lazily per API group version (only the versions a
/// revision uses cost a request) and refetched once when a kind is missing, which is how a
/// kind served by a CRD applied earlier in the same pass becomes known.
/// </summary>
internal sealed class DiscoveryCache(KubeApi api)
{
    private readonly ConcurrentDictionary<string, Task<Dictionary<string, ApiResource>>> versions = new(StringComparer.Ordinal);

    /// <summary>The resource serving <paramref name="kind"/> at <paramref name="apiVersion"/>, or null if the server has none.</summary>
    public async Task<ApiResource?> ResolveAsync(string apiVersion, string kind, CancellationToken ct)
    {
        var resources = await versions.GetOrAdd(apiVersion, v => FetchAsync(v, ct));
        if (resources.TryGetValue(kind, out var resource))
        {
            return resource;
        }

        Invalidate(apiVersion);
        resources = await versions.GetOrAdd(apiVersion, v => FetchAsync(v, ct));
        return resources.GetValueOrDefault(kind);
    }

    public void Invalidate(string apiVersion) => versions.TryRemove(apiVersion, out _);

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
