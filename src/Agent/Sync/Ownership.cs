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
    public static bool IsForeignManager(string? manager) =>
        manager is not null && (manager.StartsWith("kubectl", StringComparison.Ordinal) || manager == "before-first-apply");

    public static bool NeedsTakeOver(JsonObject? live) =>
        live is not null && ManagedFields.Entries(live).Any(e => IsForeignManager((string?)e["manager"]));

    public static async Task TakeOverAsync(KubeApi api, PlannedObject p, CancellationToken ct)
    {
        var live = p.Live!;
        var entries = ManagedFields.Entries(live).ToList();
        var merged = ManagedFields.Owned(live, KubeApi.FieldManager) ?? [];
        foreach (var e in entries.Where(e => IsForeignManager((string?)e["manager"])))
        {
            merged = e["fieldsV1"] is JsonObject theirs ? ManagedFields.Union(merged, theirs) : merged;
        }

        var kept = entries
            .Where(e => !IsForeignManager((string?)e["manager"]) && !((string?)e["manager"] == KubeApi.FieldManager && (string?)e["operation"] == "Apply"))
            .Select(e => (JsonNode)e.DeepClone());
        var ours = new JsonObject
        {
            ["manager"] = KubeApi.FieldManager,
            ["operation"] = "Apply",
            ["apiVersion"] = p.Desired.ApiVersion,
            ["time"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            ["fieldsType"] = "FieldsV1",
            ["fieldsV1"] = merged,
        };
        var patch = new JsonArray
        {
            new JsonObject { ["op"] = "test", ["path"] = "/metadata/resourceVersion", ["value"] = (string?)live["metadata"]?["resourceVersion"] },
            new JsonObject { ["op"] = "replace", ["path"] = "/metadata/managedFields", ["value"] = new JsonArray([.. kept, ours]) },
        };
        await api.JsonPatchAsync(p.Path, patch, ct);
    }
}
