using System.Text.Json.Nodes;
using GitOps.Agent.Kube;
using GitOps.Diff.Identity;

namespace GitOps.Agent.Sync;

/// <summary>
/// Reads and writes a target's ApplySet parent: a ConfigMap named <c>gitops-&lt;target&gt;</c>
/// carrying the ApplySet id label, tooling, group-kinds and namespaces annotations (so kubectl
/// and other ApplySet-aware tools see the set) and the member list with hashes in its data.
/// </summary>
internal sealed class InventoryStore(KubeApi api, ILiveSource live)
{
    public const string IdLabel = "applyset.kubernetes.io/id";
    public const string SourceAnnotation = "gitops.dev/source";
    private static readonly ApiResource ConfigMaps = new(string.Empty, "v1", "ConfigMap", "configmaps", Namespaced: true);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ApplySetInventory> written = new(StringComparer.Ordinal);

    /// <summary>Forget what this process wrote: another replica may have written since (leadership changed hands).</summary>
    public void Forget() => written.Clear();

    public static string ParentName(SyncTarget target) => $"gitops-{target.Name}";

    public static string IdOf(SyncTarget target) => ApplySetInventory.IdFor(ParentName(target), target.InventoryNamespace);

    public async Task<ApplySetInventory> ReadAsync(SyncTarget target, CancellationToken ct)
    {
        var id = IdOf(target);
        if (written.TryGetValue(target.Name, out var mine))
        {
            // Within a term of leadership the agent is the parent's only writer, and its watch may not
            // have caught up with its own write. (A CLI sync of the same target meanwhile is not seen
            // until the next term; what that can cost is a dry-run or a prune found "already gone".)
            return mine;
        }

        var parent = await live.GetAsync(ConfigMaps, target.InventoryNamespace, ParentName(target), $"{IdLabel}={id}", ct);
        if (parent is null)
        {
            return ApplySetInventory.Empty(id);
        }

        var members = ApplySetInventory.ParseMembers((string?)parent["data"]?["members"]);
        return new ApplySetInventory(id, (string?)parent["data"]?["revision"], members)
        {
            Source = (string?)parent["metadata"]?["annotations"]?[SourceAnnotation],
        };
    }

    public async Task WriteAsync(SyncTarget target, ApplySetInventory inventory, CancellationToken ct)
    {
        var members = inventory.Members.Values;
        var groupKinds = members.Select(m => m.Key.GroupKind.ToString()).Distinct().Order(StringComparer.Ordinal);
        var namespaces = members.Select(m => m.Key.Namespace).OfType<string>()
            .Where(ns => ns != target.InventoryNamespace).Distinct().Order(StringComparer.Ordinal);
        var body = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject
            {
                ["name"] = ParentName(target),
                ["namespace"] = target.InventoryNamespace,
                ["labels"] = new JsonObject { [IdLabel] = inventory.Id },
                ["annotations"] = new JsonObject
                {
                    ["applyset.kubernetes.io/tooling"] = $"gitops/{AgentInfo.Version}",
                    ["applyset.kubernetes.io/contains-group-kinds"] = string.Join(',', groupKinds),
                    ["applyset.kubernetes.io/additional-namespaces"] = string.Join(',', namespaces),
                    [SourceAnnotation] = inventory.Source ?? string.Empty,
                },
            },
            ["data"] = new JsonObject
            {
                ["revision"] = inventory.Revision ?? string.Empty,
                ["members"] = inventory.SerializeMembers(),
            },
        };
        await api.ApplyAsync(ConfigMaps.Path(target.InventoryNamespace, ParentName(target)), body, dryRun: false, ct);
        written[target.Name] = inventory;
    }
}
