using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.Agent.Kube;
using GitOps.Agent.Kube.Live;

namespace GitOps.Agent.Sync;

/// <summary>
/// Reads and writes a target's ApplySet parent: a ConfigMap named <c>gitops-&lt;target&gt;</c>
/// carrying the ApplySet id label, tooling, group-kinds and namespaces annotations (so kubectl
/// and other ApplySet-aware tools see the set) and the member list with hashes in its data —
/// or, when that list is longer than <see cref="InventoryOptions.InlineBytes"/>, the names and
/// digest of the part ConfigMaps holding it compressed.
/// </summary>
/// <remarks>
/// Writes are compare-and-swap on the parent's resourceVersion (a create when there is none).
/// Another writer in between (a CLI sync beside the agent, two CLI syncs) makes the server
/// refuse ours; we re-read, merge the two member lists and write again, so an object either
/// writer labelled is always recorded, and a later pass can prune it. Parts are written before
/// the parent under names no other write uses, so the parent is the one authority: a part is
/// live exactly while the parent names it.
/// </remarks>
internal sealed partial class InventoryStore(IClusterClient api, ILiveSource live, InventoryOptions options, TimeProvider clock)
{
    public const string IdLabel = "applyset.kubernetes.io/id";
    public const string SourceAnnotation = "gitops.dev/source";
    private const int MaxAttempts = 8;
    private static readonly ApiResource ConfigMaps = new(string.Empty, "v1", "ConfigMap", "configmaps", Namespaced: true);

    private readonly ConcurrentDictionary<string, Written> written = new(StringComparer.Ordinal);

    /// <summary>Forget what this process wrote of these targets: another replica may have written since (their Lease changed hands).</summary>
    public void Forget(IEnumerable<string> targets)
    {
        foreach (var target in targets)
        {
            written.TryRemove(target, out _);
        }
    }

    public static string ParentName(SyncTarget target) => $"gitops-{target.Name}";

    public static string IdOf(SyncTarget target) => ApplySetInventory.IdFor(ParentName(target), target.InventoryNamespace);

    public async Task<ApplySetInventory> ReadAsync(SyncTarget target, CancellationToken ct)
    {
        var id = IdOf(target);
        var parent = await live.GetAsync(ConfigMaps, target.InventoryNamespace, ParentName(target), $"{IdLabel}={id}", ct);
        var version = (string?)parent?["metadata"]?["resourceVersion"];
        if (written.TryGetValue(target.Name, out var mine) && (parent is null || mine.Versions.Contains(version ?? string.Empty)))
        {
            // Our own write, which the watch may not have caught up with yet. A copy by another
            // writer is taken instead; either way a stale read only costs a refused write.
            return mine.Inventory;
        }

        if (parent is null)
        {
            return ApplySetInventory.Empty(id);
        }

        try
        {
            return await ParseAsync(target, id, parent, ct);
        }
        catch (InventoryException)
        {
            // The watch lagged behind a writer that replaced this parent and retired the parts it named.
            var fresh = await api.GetAsync(ConfigMaps.Path(target.InventoryNamespace, ParentName(target)), ct);
            return fresh is null ? ApplySetInventory.Empty(id) : await ParseAsync(target, id, fresh, ct);
        }
    }

    /// <summary>Stores <paramref name="inventory"/> and returns what was stored: it, or it merged onto another writer's.</summary>
    /// <exception cref="InventoryException">The member list is longer than <see cref="InventoryOptions.MaxBytes"/>; nothing was written.</exception>
    public async Task<ApplySetInventory> WriteAsync(SyncTarget target, ApplySetInventory inventory, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var stored = await PutAsync(target, inventory, ct);
                var versions = written.TryGetValue(target.Name, out var before) ? before.Versions.TakeLast(7) : [];
                written[target.Name] = new Written(stored, [.. versions, stored.ResourceVersion ?? string.Empty]);
                await RetirePartsAsync(target, inventory.Parts, stored.Parts, ct);
                return stored;
            }
            catch (KubeApiException ex) when ((ex.IsConflict || ex.IsNotFound) && attempt < MaxAttempts)
            {
                var fresh = await api.GetAsync(ConfigMaps.Path(target.InventoryNamespace, ParentName(target)), ct);
                inventory = fresh is null
                    ? inventory with { ResourceVersion = null, Parts = [] }
                    : inventory.MergedOnto(await ParseAsync(target, inventory.Id, fresh, ct));
            }
        }
    }

    private async Task<ApplySetInventory> PutAsync(SyncTarget target, ApplySetInventory inventory, CancellationToken ct)
    {
        var members = inventory.SerializeMembers();
        var size = Encoding.UTF8.GetByteCount(members);
        if (size > options.MaxBytes)
        {
            throw new InventoryException(
                $"the inventory of target '{target.Name}' would list {inventory.Members.Count} objects in {size / (1024 * 1024)} MiB, "
                + $"more than the {options.MaxBytes / (1024 * 1024)} MiB it can hold; nothing was applied; split the target");
        }

        var (parts, digest) = size > options.InlineBytes ? await WritePartsAsync(target, inventory.Id, members, ct) : ([], string.Empty);
        var body = InventoryDocument.Build(target, inventory with { Parts = parts }, parts.Count == 0 ? members : string.Empty, digest);
        try
        {
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

            return inventory with { ResourceVersion = (string?)stored["metadata"]?["resourceVersion"], Parts = parts };
        }
        catch (KubeApiException)
        {
            await DeletePartsAsync(target, parts, ct); // no parent names them, and none ever will
            throw;
        }
    }

    private async Task<ApplySetInventory> ParseAsync(SyncTarget target, string id, JsonObject parent, CancellationToken ct)
    {
        var data = parent["data"];
        var parts = ((string?)data?[InventoryDocument.PartsKey] ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries);
        var members = parts.Length == 0
            ? (string?)data?[InventoryDocument.MembersKey]
            : await ReadPartsAsync(target, parts, (string?)data?[InventoryDocument.DigestKey] ?? string.Empty, ct);
        return new(id, (string?)data?["revision"] is { Length: > 0 } r ? r : null, ApplySetInventory.ParseMembers(members))
        {
            Source = (string?)parent["metadata"]?["annotations"]?[SourceAnnotation],
            ResourceVersion = (string?)parent["metadata"]?["resourceVersion"],
            Parts = parts,
        };
    }

    /// <summary>What this process last stored for a target, and the resourceVersions its recent writes produced.</summary>
    private sealed record Written(ApplySetInventory Inventory, IReadOnlyList<string> Versions);
}
