using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using GitOps.Diff.Identity;

namespace GitOps.Agent.Kube.Live;

/// <summary>
/// The agent's live state: a watch per member collection, started the first time a pass asks
/// for it. A pass at rest reads everything from memory (no request); collections with objects
/// new to the set, and collections whose watch is down, are LISTed as the CLI does. A change
/// to a member by anyone raises <see cref="Changed"/> with the ApplySet id, which wakes that
/// target's worker: drift is put back within seconds, not at the next interval.
/// </summary>
internal sealed partial class WatchCache(IClusterClient api, LiveState fallback, Microsoft.Extensions.Logging.ILogger? logger = null) : ILiveSource, IDisposable
{
    private readonly ConcurrentDictionary<(string Path, string Selector), CollectionWatch> watches = new();

    /// <summary>A member of the ApplySet with this id changed in the cluster.</summary>
    public event Action<string>? Changed;

    /// <summary>Only the server-owned state (status) of a member of the ApplySet with this id changed.</summary>
    public event Action<string>? StatusChanged;

    public int Count => watches.Count;

    public async Task<Dictionary<ResourceKey, JsonObject>> LoadAsync(IEnumerable<LiveState.Collection> collections, string applySetId, CancellationToken ct)
    {
        var result = new Dictionary<ResourceKey, JsonObject>();
        var toList = new List<LiveState.Collection>();
        foreach (var c in LiveState.Merge(collections))
        {
            // Start watching every collection the set uses, members yet or not, so the next pass
            // (and self-heal) does not wait for an interval to begin watching.
            var watch = Watch(c.Resource, c.Namespace, $"{ManifestValidator.PartOfLabel}={applySetId}", applySetId);
            var snapshot = c.MembersOnly ? await watch.SnapshotAsync(ct) : null;
            if (snapshot is null)
            {
                toList.Add(c);
                continue;
            }

            foreach (var (key, obj) in snapshot)
            {
                result[key] = obj;
            }
        }

        foreach (var (key, obj) in toList.Count == 0 ? [] : await fallback.LoadAsync(toList, applySetId, ct))
        {
            result[key] = obj;
        }

        return result;
    }

    public async Task<JsonObject?> GetAsync(ApiResource resource, string ns, string name, string labelSelector, CancellationToken ct)
    {
        var snapshot = await Watch(resource, ns, labelSelector, notify: null).SnapshotAsync(ct);
        return snapshot is null
            ? await fallback.GetAsync(resource, ns, name, labelSelector, ct)
            : snapshot.GetValueOrDefault(new ResourceKey(resource.Group, resource.Kind, ns, name));
    }

    private CollectionWatch Watch(ApiResource resource, string? ns, string selector, string? notify) =>
        watches.GetOrAdd((resource.Path(ns), selector), _ => new CollectionWatch(api, resource, ns, selector, () =>
        {
            if (notify is not null)
            {
                Changed?.Invoke(notify);
            }
        }, Failed, () =>
        {
            if (notify is not null)
            {
                StatusChanged?.Invoke(notify);
            }
        }));

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
