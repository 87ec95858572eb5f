using System.Text.Json.Nodes;
using GitOps.Agent.Kube;

namespace GitOps.Agent.Render;

/// <summary>
/// The target cluster as Helm's <c>.Capabilities</c> should see it: the server's version
/// (<c>GET /version</c>) and every group/version it serves (<c>GET /api</c>, <c>GET /apis</c>).
/// Asked once and kept, so passes after the first send no request for it; <see cref="Forget"/>
/// when a CRD was applied.
/// </summary>
internal sealed class ClusterCapabilities(IClusterClient api)
{
    private Task<Capabilities>? known;

    public async Task<Capabilities> GetAsync(CancellationToken ct)
    {
        var fetch = known ??= FetchAsync(CancellationToken.None);
        try
        {
            return await fetch.WaitAsync(ct);
        }
        catch (Exception) when (fetch.IsFaulted || fetch.IsCanceled)
        {
            _ = Interlocked.CompareExchange(ref known, null, fetch);
            throw;
        }
    }

    public void Forget() => known = null;

    private async Task<Capabilities> FetchAsync(CancellationToken ct)
    {
        var version = (string?)(await api.GetAsync("/version", ct))?["gitVersion"];
        var core = (await api.GetAsync("/api", ct))?["versions"] as JsonArray ?? [];
        var groups = (await api.GetAsync("/apis", ct))?["groups"] as JsonArray ?? [];
        var versions = core.Select(v => (string?)v).OfType<string>()
            .Concat(groups.OfType<JsonObject>().SelectMany(g => g["versions"] as JsonArray ?? []).Select(v => (string?)v?["groupVersion"]).OfType<string>())
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new Capabilities(version, versions);
    }
}
