using System.Text.Json.Nodes;

namespace GitOps.Agent.Sync;

/// <summary>The ApplySet parent ConfigMap of an inventory, as it is sent.</summary>
internal static class InventoryDocument
{
    public static JsonObject Build(SyncTarget target, ApplySetInventory inventory)
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
                ["members"] = inventory.SerializeMembers(),
            },
        };
    }
}
