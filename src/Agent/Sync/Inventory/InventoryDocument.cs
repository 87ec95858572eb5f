using System.Text.Json.Nodes;

namespace GitOps.Agent.Sync;

/// <summary>The ApplySet parent ConfigMap of an inventory, and its part ConfigMaps, as they are sent.</summary>
internal static class InventoryDocument
{
    public const string MembersKey = "members";
    public const string PartsKey = "members-parts";
    public const string DigestKey = "members-sha256";
    public const string PartDataKey = "members.gz";
    public const string PartLabel = "gitops.dev/inventory-part-of";

    /// <summary>
    /// The parent. Every key is always sent, empty when unused, so a write replaces what an
    /// earlier one stored however that one was made (a create is not an apply, and an apply
    /// removes only fields of its own operation).
    /// </summary>
    public static JsonObject Build(SyncTarget target, ApplySetInventory inventory, string inlineMembers, string digest)
    {
        var members = inventory.Members.Values;
        var groupKinds = members.Select(m => m.Key.GroupKind.ToString()).Distinct().Order(StringComparer.Ordinal);
        var namespaces = members.Select(m => m.Key.Namespace).OfType<string>()
            .Where(ns => ns != target.InventoryNamespace).Distinct().Order(StringComparer.Ordinal);
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject
            {
                ["name"] = InventoryStore.ParentName(target),
                ["namespace"] = target.InventoryNamespace,
                ["labels"] = new JsonObject { [InventoryStore.IdLabel] = inventory.Id },
                ["annotations"] = new JsonObject
                {
                    ["applyset.kubernetes.io/tooling"] = $"gitops/{AgentInfo.Version}",
                    ["applyset.kubernetes.io/contains-group-kinds"] = string.Join(',', groupKinds),
                    ["applyset.kubernetes.io/additional-namespaces"] = string.Join(',', namespaces),
                    [InventoryStore.SourceAnnotation] = inventory.Source ?? string.Empty,
                },
            },
            ["data"] = new JsonObject
            {
                ["revision"] = inventory.Revision ?? string.Empty,
                [MembersKey] = inlineMembers,
                [PartsKey] = string.Join(',', inventory.Parts),
                [DigestKey] = digest,
            },
        };
    }

    /// <summary>One part: immutable, so what a parent's digest vouches for cannot change under it.</summary>
    public static JsonObject BuildPart(SyncTarget target, string id, string name, byte[] bytes, int index, int count) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = target.InventoryNamespace,
            ["labels"] = new JsonObject { [PartLabel] = id },
            ["annotations"] = new JsonObject { ["gitops.dev/inventory-part"] = $"{index + 1}/{count} of {InventoryStore.ParentName(target)}" },
        },
        ["immutable"] = true,
        ["binaryData"] = new JsonObject { [PartDataKey] = Convert.ToBase64String(bytes) },
    };
}
