using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using GitOps.Agent.Kube;
using GitOps.Agent.Kube.Live;

namespace GitOps.Agent.Sync;

/// <summary>
/// Reads and writes a target's ApplySet parent: a ConfigMap named <c>gitops-&lt;target&gt;</c>
/// carrying the ApplySet id label, tooling, group-kinds and namespaces annotations (so kubectl
/// and other ApplySet-aware tools see the set) and the member list with hashes in its data.
/// </summary>
/// <remarks>
/// Writes are compare-and-swap on the parent's resourceVersion (a create when there is none).
/// Another writer in between (a CLI sync beside the agent, two CLI syncs) makes the server
/// refuse ours; we re-read, merge the two member lists and write again, so an object either
/// writer labelled is always recorded, and a later pass can prune it.
/// </remarks>
internal sealed class InventoryStore(IClusterClient api, ILiveSource live)
{
    public const string IdLabel = "applyset.kubernetes.io/id";
    public const string SourceAnnotation = "gitops.dev/source";
    private const int MaxAttempts = 8;
    private static readonly ApiResource ConfigMaps = new(string.Empty, "v1", "ConfigMap", "configmaps", Namespaced: true);

    private readonly ConcurrentDictionary<string, Written> written = new(StringComparer.Ordinal);

    /// <summary>Forget what this process wrote: another replica may have written since (leadership changed hands).</summary>
    public void Forget() => written.Clear();

    public static string ParentName(SyncTarget target) => $"gitops-{target.Name}";

    public static string IdOf(SyncTarget target) => ApplySetInventory.IdFor(ParentName(target), target.InventoryNamespace);

    public async Task<ApplySetInventory> ReadAsync(SyncTarget target, CancellationToken ct)
    {
        var id = IdOf(target);
        var parent = await live.GetAsync(ConfigMaps, target.InventoryNamespace, ParentName(target), $"{IdLabel}={id}", ct);
        var seen = parent is null ? null : Parse(id, parent);
        if (written.TryGetValue(target.Name, out var mine) && (seen is null || mine.Versions.Contains(seen.ResourceVersion ?? string.Empty)))
        {
            // Our own write, which the watch may not have caught up with yet. A copy by another
            // writer is taken instead; either way a stale read only costs a refused write.
            return mine.Inventory;
        }

        return seen ?? ApplySetInventory.Empty(id);
    }

    /// <summary>Stores <paramref name="inventory"/> and returns what was stored: it, or it merged onto another writer's.</summary>
    public async Task<ApplySetInventory> WriteAsync(SyncTarget target, ApplySetInventory inventory, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var stored = await PutAsync(target, inventory, ct);
                var versions = written.TryGetValue(target.Name, out var before) ? before.Versions.TakeLast(7) : [];
                written[target.Name] = new Written(stored, [.. versions, stored.ResourceVersion ?? string.Empty]);
                return stored;
            }
            catch (KubeApiException ex) when ((ex.IsConflict || ex.IsNotFound) && attempt < MaxAttempts)
            {
                var fresh = await api.GetAsync(ConfigMaps.Path(target.InventoryNamespace, ParentName(target)), ct);
                inventory = fresh is null
                    ? inventory with { ResourceVersion = null }
                    : inventory.MergedOnto(Parse(inventory.Id, fresh));
            }
        }
    }

    private async Task<ApplySetInventory> PutAsync(SyncTarget target, ApplySetInventory inventory, CancellationToken ct)
    {
        var body = InventoryDocument.Build(target, inventory);
        JsonObject stored;
        if (inventory.ResourceVersion is null)
        {
            stored = await api.CreateAsync(ConfigMaps.Path(target.InventoryNamespace), body, ct);
        }
        else
        {
            body["metadata"]!["resourceVersion"] = inventory.ResourceVersion; // the server's precondition
            stored = await api.ApplyAsync(ConfigMaps.Path(target.InventoryNamespace, ParentName(target)), body, dryRun: false, ct);
        }

        return inventory with { ResourceVersion = (string?)stored["metadata"]?["resourceVersion"] };
    }

    private static ApplySetInventory Parse(string id, JsonObject parent) =>
        new(id, (string?)parent["data"]?["revision"] is { Length: > 0 } r ? r : null, ApplySetInventory.ParseMembers((string?)parent["data"]?["members"]))
        {
            Source = (string?)parent["metadata"]?["annotations"]?[SourceAnnotation],
            ResourceVersion = (string?)parent["metadata"]?["resourceVersion"],
        };

    /// <summary>What this process last stored for a target, and the resourceVersions its recent writes produced.</summary>
    private sealed record Written(ApplySetInventory Inventory, IReadOnlyList<string> Versions);
}
