using System.Text.Json.Nodes;
using GitOps.Agent.Kube;
using GitOps.Diff.Ownership;

namespace GitOps.Agent.Sync;

/// <summary>
/// Taking over fields that kubectl (client-side apply, create, edit, or its own server-side
/// apply) owned. Without this, a field removed from git but owned by kubectl stays in the
/// cluster forever. It is done once, deliberately: the other managers' field sets are merged
/// into ours with a JSON patch guarded by the resourceVersion, then the apply removes what
/// the manifest no longer has.
/// </summary>
internal static class Ownership
{
    /// <summary>
    /// The managers whose fields are "what a human applied": kubectl's client-side apply, create,
    /// edit, patch and replace, its server-side apply, and fields from before the first one. Not
    /// kubectl's imperative helpers (rollout restart, scale, label, annotate): those are
    /// operations on a live object that git does not describe, and taking them over would undo them.
    /// </summary>
    private static readonly HashSet<string> Foreign = new(StringComparer.Ordinal)
    {
        "kubectl-client-side-apply", "kubectl-create", "kubectl-edit", "kubectl-patch", "kubectl-replace", "kubectl", "before-first-apply",
    };

    /// <summary>An entry to take over: a foreign manager's fields of the object itself (never a subresource's).</summary>
    public static bool IsForeign(JsonObject entry) =>
        (string?)entry["manager"] is { } manager && Foreign.Contains(manager) && entry["subresource"] is null;

    public static bool NeedsTakeOver(JsonObject? live) =>
        live is not null && ManagedFields.Entries(live).Any(IsForeign);

    public static async Task TakeOverAsync(IClusterClient api, ObservedObject p, TimeProvider clock, CancellationToken ct)
    {
        var live = p.Live!;
        var entries = ManagedFields.Entries(live).ToList();
        var merged = ManagedFields.Owned(live, KubeApi.FieldManager) ?? [];
        foreach (var e in entries.Where(IsForeign))
        {
            merged = e["fieldsV1"] is JsonObject theirs ? ManagedFields.Union(merged, theirs) : merged;
        }

        var kept = entries
            .Where(e => !IsForeign(e) && !((string?)e["manager"] == KubeApi.FieldManager && (string?)e["operation"] == "Apply"))
            .Select(e => (JsonNode)e.DeepClone());
        var ours = new JsonObject
        {
            ["manager"] = KubeApi.FieldManager,
            ["operation"] = "Apply",
            ["apiVersion"] = p.Prepared.Desired.ApiVersion,
            ["time"] = clock.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            ["fieldsType"] = "FieldsV1",
            ["fieldsV1"] = merged,
        };
        var patch = new JsonArray
        {
            new JsonObject { ["op"] = "test", ["path"] = "/metadata/resourceVersion", ["value"] = (string?)live["metadata"]?["resourceVersion"] },
            new JsonObject { ["op"] = "replace", ["path"] = "/metadata/managedFields", ["value"] = new JsonArray([.. kept, ours]) },
        };
        await api.JsonPatchAsync(p.Prepared.Path, patch, ct);
    }
}
