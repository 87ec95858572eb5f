using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using GitOps.Diff.Identity;

namespace GitOps.Agent.Kube.Live;

/// <summary>
/// The agent's live state: one watch per collection (a kind in a namespace) of the objects that
/// carry a label, shared by every target, started the first time a pass asks for it. Members are
/// grouped by their ApplySet id, so a pass at rest reads its own from memory (no request);
/// collections with objects new to the set, and collections whose watch is down, are LISTed as
/// the CLI does. A change to a member by anyone raises <see cref="Changed"/> with the ApplySet id,
/// which wakes that target's worker only: drift is put back within seconds, not at the next interval.
/// </summary>
internal sealed partial class WatchCache(IClusterClient api, LiveState fallback, Microsoft.Extensions.Logging.ILogger? logger = null, TimeProvider? clock = null) : ILiveSource, IDisposable
{
    private readonly ConcurrentDictionary<(string Path, string Label), CollectionWatch> watches = new();

    /// <summary>A member of the ApplySet with this id changed in the cluster.</summary>
    public event Action<string>? Changed;

    /// <summary>Only the server-owned state (status) of a member of the ApplySet with this id changed.</summary>
    public event Action<string>? StatusChanged;

    /// <summary>Watches running: one per (kind, namespace, label), whatever the number of targets.</summary>
    public int Count => watches.Count;

    /// <summary>
    /// A collection with at most this many objects new to the set is not LISTed whole: its members
    /// come from the watch and each new object from the watch (a member of another set) or a GET.
    /// 1,000 targets syncing for the first time would otherwise LIST their namespaces 3,000 times.
    /// </summary>
    public const int ReadAlone = 16;

    public async Task<Dictionary<ResourceKey, JsonObject>> LoadAsync(IEnumerable<LiveState.Collection> collections, string applySetId, CancellationToken ct)
    {
        var result = new Dictionary<ResourceKey, JsonObject>();
        var toList = new List<LiveState.Collection>();
        var toGet = new List<(LiveState.Collection Collection, CollectionWatch Watch)>();
        foreach (var c in LiveState.Merge(collections))
        {
            // Start watching every collection the set uses, members yet or not, so the next pass
            // (and self-heal) does not wait for an interval to begin watching.
            var watch = Watch(c.Resource, c.Namespace, ManifestValidator.PartOfLabel);
            var snapshot = c.MembersOnly || c.NewNames.Count <= ReadAlone ? await watch.SnapshotAsync(applySetId, ct) : null;
            if (snapshot is null)
            {
                toList.Add(c);
                continue;
            }

            foreach (var (key, obj) in snapshot)
            {
                result[key] = obj;
            }

            if (!c.MembersOnly)
            {
                toGet.Add((c, watch));
            }
        }

        foreach (var (key, obj) in toList.Count == 0 ? [] : await fallback.LoadAsync(toList, applySetId, ct))
        {
            result[key] = obj;
        }

        foreach (var obj in await Task.WhenAll(toGet.SelectMany(g => g.Collection.NewNames.Select(name => ReadNewAsync(g.Collection, g.Watch, name, ct)))))
        {
            if (obj is not null)
            {
                result[LiveState.KeyOf(obj.Value.Resource, obj.Value.Object)] = obj.Value.Object;
            }
        }

        return result;
    }

    /// <summary>An object new to the set as the cluster has it: from the watch when another set holds it, else by a GET (null: absent).</summary>
    private async Task<(ApiResource Resource, JsonObject Object)?> ReadNewAsync(LiveState.Collection c, CollectionWatch watch, string name, CancellationToken ct)
    {
        var found = watch.Find(new ResourceKey(c.Resource.Group, c.Resource.Kind, c.Resource.Namespaced ? c.Namespace : null, name))
            ?? await api.GetAsync(c.Resource.Path(c.Namespace, name), ct);
        return found is null ? null : (c.Resource, found);
    }

    /// <remarks><paramref name="labelSelector"/> is <c>key=value</c>: the object is looked up in the shared watch of <c>key</c>, in the group <c>value</c>.</remarks>
    public async Task<JsonObject?> GetAsync(ApiResource resource, string ns, string name, string labelSelector, CancellationToken ct)
    {
        var parts = labelSelector.Split('=');
        var snapshot = parts.Length == 2 && parts[0].Length > 0 && parts[1].Length > 0
            ? await Watch(resource, ns, parts[0]).SnapshotAsync(parts[1], ct)
            : null;
        return snapshot is null
            ? await fallback.GetAsync(resource, ns, name, labelSelector, ct)
            : snapshot.GetValueOrDefault(new ResourceKey(resource.Group, resource.Kind, ns, name));
    }

    private CollectionWatch Watch(ApiResource resource, string? ns, string label) =>
        watches.GetOrAdd((resource.Path(ns), label), _ => new CollectionWatch(api, resource, ns, label, value =>
        {
            if (label == ManifestValidator.PartOfLabel)
            {
                Changed?.Invoke(value); // a member changed; inventories (the id label) wake no one
            }
        }, Failed, value =>
        {
            if (label == ManifestValidator.PartOfLabel)
            {
                StatusChanged?.Invoke(value);
            }
        }, clock));

    private void Failed(string path, Exception ex)
    {
        if (logger is not null)
        {
            LogWatchFailed(logger, path, ex.GetType().Name, ex.Message);
        }
    }

    public void Dispose()
    {
        foreach (var w in watches.Values)
        {
            w.Dispose();
        }
    }
}
