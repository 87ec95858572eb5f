using System.Text.Json.Nodes;
using GitOps.Diff.Render;

namespace GitOps.Diff.Identity;

/// <summary>
/// Turns rendered manifests into <see cref="DesiredObject"/>s: checks identity fields, defaults
/// the namespace, and refuses what would make a revision ambiguous or steal ownership. Scope
/// comes from the caller's discovery, or from a CRD in the same revision for kinds not served yet.
/// </summary>
public static class ManifestValidator
{
    /// <summary>The ApplySet label that marks membership; only the agent may set it.</summary>
    public const string PartOfLabel = "applyset.kubernetes.io/part-of";

    public static IReadOnlyList<DesiredObject> Validate(
        IReadOnlyList<Manifest> manifests, Func<GroupKind, KindScope> discovery, string defaultNamespace)
    {
        var revisionScopes = CrdScopes(manifests);
        KindScope Scope(GroupKind gk)
        {
            var scope = discovery(gk);
            return scope != KindScope.Unknown ? scope : revisionScopes.GetValueOrDefault(gk, KindScope.Unknown);
        }

        var seen = new Dictionary<ResourceKey, SourceLocation>();
        var result = new List<DesiredObject>(manifests.Count);
        foreach (var manifest in manifests)
        {
            var desired = ValidateOne(manifest, Scope, defaultNamespace);
            if (seen.TryGetValue(desired.Key, out var first))
            {
                throw new ManifestException(manifest.Source, $"{desired.Key} is defined twice (first at {first})");
            }

            seen[desired.Key] = manifest.Source;
            result.Add(desired);
        }

        return result;
    }

    private static DesiredObject ValidateOne(Manifest manifest, Func<GroupKind, KindScope> scope, string defaultNamespace)
    {
        var obj = manifest.Object;
        var apiVersion = RequiredString(manifest, obj["apiVersion"], "apiVersion");
        var kind = RequiredString(manifest, obj["kind"], "kind");
        if (obj["metadata"] is not JsonObject metadata)
        {
            throw Error(manifest, kind, "metadata is missing");
        }

        if (metadata["generateName"] is not null)
        {
            throw Error(manifest, kind, "metadata.generateName is not supported: a generated name cannot be tracked across commits");
        }

        var name = RequiredString(manifest, metadata["name"], "metadata.name", kind);
        if (metadata["labels"] is JsonObject labels && labels.ContainsKey(PartOfLabel))
        {
            throw Error(manifest, $"{kind}/{name}", $"the label {PartOfLabel} is set by the agent, remove it from the manifest");
        }

        var (group, _) = GroupKind.SplitApiVersion(apiVersion);
        var gk = new GroupKind(group, kind);
        var ns = scope(gk) switch
        {
            KindScope.Namespaced => DefaultNamespace(metadata, defaultNamespace),
            KindScope.Cluster => ClearNamespace(metadata),
            _ => throw Error(manifest, $"{kind}/{name}", $"the server has no kind {gk} in {apiVersion} (is its CRD installed?)"),
        };
        ServerQuirks.Normalize(group, kind, obj);
        return new DesiredObject(new ResourceKey(group, kind, ns, name), apiVersion, obj, manifest.Source);
    }

    private static string DefaultNamespace(JsonObject metadata, string defaultNamespace)
    {
        if (metadata["namespace"] is JsonValue v && v.TryGetValue<string>(out var ns) && ns.Length > 0)
        {
            return ns;
        }

        metadata["namespace"] = defaultNamespace;
        return defaultNamespace;
    }

    private static string? ClearNamespace(JsonObject metadata)
    {
        metadata.Remove("namespace"); // the server ignores it for cluster-scoped kinds; so do we
        return null;
    }

    /// <summary>Scopes of kinds defined by CRDs in this very revision (not served until applied).</summary>
    private static Dictionary<GroupKind, KindScope> CrdScopes(IReadOnlyList<Manifest> manifests)
    {
        var scopes = new Dictionary<GroupKind, KindScope>();
        foreach (var m in manifests)
        {
            if (m.Object["kind"]?.GetValueKind() != System.Text.Json.JsonValueKind.String
                || (string?)m.Object["kind"] != "CustomResourceDefinition"
                || m.Object["spec"] is not JsonObject spec
                || spec["names"]?["kind"] is not JsonValue kindNode
                || !kindNode.TryGetValue<string>(out var crdKind)
                || spec["group"] is not JsonValue groupNode
                || !groupNode.TryGetValue<string>(out var group))
            {
                continue;
            }

            var cluster = spec["scope"] is JsonValue s && s.TryGetValue<string>(out var scope) && scope == "Cluster";
            scopes[new GroupKind(group, crdKind)] = cluster ? KindScope.Cluster : KindScope.Namespaced;
        }

        return scopes;
    }

    private static string RequiredString(Manifest manifest, JsonNode? node, string field, string? what = null)
    {
        if (node is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0)
        {
            return s;
        }

        throw Error(manifest, what ?? "object", $"{field} is missing or not a string");
    }

    private static ManifestException Error(Manifest manifest, string what, string reason) =>
        new(manifest.Source, $"{what}: {reason}");
}
