using System.Text.Json.Nodes;
using GitOps.Agent.Kube;
using GitOps.Diff.Identity;
using GitOps.Diff.Json;
using GitOps.Diff.Masking;
using GitOps.Diff.Render;

namespace GitOps.Agent.Sync;

/// <summary>What the Prepare stage hands on: the revision's objects in apply order, and the redactor of its Secret values.</summary>
internal sealed record Prepared(IReadOnlyList<PreparedObject> Objects, SecretRedactor Redactor);

/// <summary>
/// Render → resolve kinds → validate → label: the revision's files become objects ready to send.
/// Discovery is the only I/O; every input error is a <see cref="ManifestException"/> naming file and line.
/// </summary>
internal sealed class Preparer(IDiscovery discovery)
{
    public async Task<Prepared> PrepareAsync(IReadOnlyList<ManifestFile> files, SyncTarget target, string applySetId, CancellationToken ct)
    {
        var manifests = ManifestRenderer.Render(files);
        var redactor = SecretRedactor.For(manifests.Select(m => m.Object));
        var resources = await ResolveAsync(manifests, ct);
        var scopes = resources.Values.OfType<ApiResource>().DistinctBy(r => r.GroupKind)
            .ToDictionary(r => r.GroupKind, r => r.Namespaced ? KindScope.Namespaced : KindScope.Cluster);
        var desired = ManifestValidator.Validate(manifests, gk => scopes.GetValueOrDefault(gk), target.DefaultNamespace);
        var prepared = Diff.Order.ApplyOrder.Sort(desired, d => d.Key)
            .Select(d => Label(d, applySetId, resources.GetValueOrDefault((d.ApiVersion, d.Key.Kind))))
            .ToList();
        return new Prepared(prepared, redactor);
    }

    /// <summary>One discovery lookup per (apiVersion, kind) the revision uses; unknown kinds map to null.</summary>
    private async Task<Dictionary<(string, string), ApiResource?>> ResolveAsync(IReadOnlyList<Manifest> manifests, CancellationToken ct)
    {
        var resources = new Dictionary<(string, string), ApiResource?>();
        foreach (var m in manifests)
        {
            if (Text(m.Object["apiVersion"]) is { } apiVersion && Text(m.Object["kind"]) is { } kind && !resources.ContainsKey((apiVersion, kind)))
            {
                resources[(apiVersion, kind)] = await discovery.ResolveAsync(apiVersion, kind, ct);
            }
        }

        return resources;
    }

    private static PreparedObject Label(DesiredObject d, string applySetId, ApiResource? resource)
    {
        var body = d.Object.DeepClone().AsObject();
        var metadata = body["metadata"]!.AsObject();
        var labels = metadata["labels"] as JsonObject ?? [];
        labels[ManifestValidator.PartOfLabel] = applySetId;
        metadata["labels"] = labels;
        return new PreparedObject(d, body, CanonicalJson.Hash(body), resource);
    }

    /// <summary>A string field, or null for anything else (the validator reports wrong types with their location).</summary>
    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
