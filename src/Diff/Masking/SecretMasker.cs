using System.Text.Json.Nodes;
using GitOps.Diff.Drift;
using GitOps.Diff.Identity;

namespace GitOps.Diff.Masking;

/// <summary>
/// Keeps Secret values inside the engine: output names the keys that were added, removed or
/// changed, never a value. kubectl's last-applied annotation is masked too, since a client-side
/// apply copies the whole Secret into it.
/// </summary>
public static class SecretMasker
{
    public const string Hidden = "(hidden)";
    private const string LastApplied = "kubectl.kubernetes.io/last-applied-configuration";

    public static bool IsSecret(string group, string kind) => group.Length == 0 && kind == "Secret";

    /// <summary>The same test on a manifest: core group (apiVersion <c>v1</c>), kind Secret.</summary>
    public static bool IsSecret(JsonObject obj) =>
        obj["kind"] is JsonValue k && k.TryGetValue<string>(out var kind) && kind == "Secret"
        && obj["apiVersion"] is JsonValue v && v.TryGetValue<string>(out var api) && api == "v1";

    /// <summary>A copy safe to print: Secret values replaced by <see cref="Hidden"/>; other kinds as they are.</summary>
    public static JsonObject MaskObject(JsonObject obj)
    {
        var copy = obj.DeepClone().AsObject();
        if (!IsSecret(obj))
        {
            return copy;
        }

        foreach (var field in new[] { "data", "stringData" })
        {
            if (copy[field] is JsonObject values)
            {
                foreach (var key in values.Select(p => p.Key).ToList())
                {
                    values[key] = Hidden;
                }
            }
        }

        if (copy["metadata"]?["annotations"] is JsonObject annotations && annotations.ContainsKey(LastApplied))
        {
            annotations[LastApplied] = Hidden;
        }

        return copy;
    }

    /// <summary>Field changes of a Secret with both sides of every value hidden.</summary>
    public static IReadOnlyList<FieldChange> MaskChanges(ResourceKey key, IReadOnlyList<FieldChange> changes)
    {
        if (!IsSecret(key.Group, key.Kind))
        {
            return changes;
        }

        return changes.Select(c => IsValuePath(c.Path)
            ? c with { Old = c.Old is null ? null : JsonValue.Create(Hidden), New = c.New is null ? null : JsonValue.Create(Hidden) }
            : c with { Old = MaskLastApplied(c.Path, c.Old), New = MaskLastApplied(c.Path, c.New) }).ToList();
    }

    /// <summary>
    /// A change above the annotation (all of metadata.annotations added or removed) carries the
    /// last-applied copy of the Secret inside its value.
    /// </summary>
    private static JsonNode? MaskLastApplied(string path, JsonNode? node)
    {
        var annotations = (path, node) switch
        {
            ("metadata.annotations", JsonObject a) => a,
            ("metadata", JsonObject m) => m["annotations"] as JsonObject,
            _ => null,
        };
        if (annotations is null || !annotations.ContainsKey(LastApplied))
        {
            return node;
        }

        var copy = node!.DeepClone();
        var target = path == "metadata" ? copy["annotations"]!.AsObject() : copy.AsObject();
        target[LastApplied] = Hidden;
        return copy;
    }

    private static bool IsValuePath(string path) =>
        path.StartsWith("data", StringComparison.Ordinal)
        || path.StartsWith("stringData", StringComparison.Ordinal)
        || path.Contains(LastApplied, StringComparison.Ordinal);
}
