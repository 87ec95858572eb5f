using System.Text.Json.Nodes;
using GitOps.Diff.Identity;

namespace GitOps.Diff.Prune;

/// <summary>
/// Deleting a Namespace deletes everything in it. A Namespace is pruned only when it holds
/// nothing but this set's own members and what Kubernetes puts into every namespace by itself;
/// anything else (an unmanaged Secret, another tool's Deployment) makes the prune a skip.
/// </summary>
public static class NamespaceGuard
{
    private const string ServiceAccountTokenType = "kubernetes.io/service-account-token";

    /// <summary>Why the Namespace must stay, or null when it may go.</summary>
    /// <param name="others">Objects found in the namespace that are not labelled as members of this set.</param>
    /// <param name="members">The set's members (to recognise the Endpoints of member Services).</param>
    public static string? Blocker(string ns, IEnumerable<(ResourceKey Key, JsonObject Object)> others, IReadOnlySet<ResourceKey> members)
    {
        var blockers = others.Where(o => o.Key.Namespace == ns && !MadeByKubernetes(o.Key, o.Object, members)).Select(o => o.Key).ToList();
        return blockers.Count == 0
            ? null
            : $"Namespace {ns} still holds {blockers.Count} object(s) that are not members of this set ({string.Join(", ", blockers.Take(3))}{(blockers.Count > 3 ? ", …" : string.Empty)}); deleting it would delete them";
    }

    /// <summary>What a controller made (it has an owner, or is created in every namespace) goes with its owner.</summary>
    private static bool MadeByKubernetes(ResourceKey key, JsonObject obj, IReadOnlySet<ResourceKey> members) =>
        obj["metadata"]?["ownerReferences"] is JsonArray { Count: > 0 }
        || key.Kind == "Event"
        || (key.Group.Length == 0 && key.Kind == "ServiceAccount" && key.Name == "default")
        || (key.Group.Length == 0 && key.Kind == "ConfigMap" && key.Name == "kube-root-ca.crt")
        || (key.Group.Length == 0 && key.Kind == "Secret" && (string?)obj["type"] == ServiceAccountTokenType)
        || (key.Group.Length == 0 && key.Kind == "Endpoints" && members.Contains(key with { Kind = "Service" }));

    /// <summary>Objects the revision still declares inside a Namespace it no longer declares.</summary>
    public static string? Declared(string ns, IReadOnlySet<ResourceKey> desired)
    {
        var inside = desired.Where(k => k.Namespace == ns).ToList();
        return inside.Count == 0
            ? null
            : $"Namespace {ns} still holds {inside.Count} object(s) the revision declares ({string.Join(", ", inside.Take(3))}{(inside.Count > 3 ? ", …" : string.Empty)})";
    }
}
