using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using GitOps.Diff.Identity;

namespace GitOps.Agent.Kube.Live;

/// <summary>
/// One collection (a kind in a namespace, filtered by a label selector) kept current in memory:
/// LIST, then WATCH from its resourceVersion with bookmarks, resuming from the last version
/// seen when the server ends the stream, and LISTing again when that version is gone (410).
/// Objects are kept as their UTF-8 JSON (a tenth of a parsed tree's memory) and parsed when a
/// pass asks for them; an agent at rest holds thousands of objects in a few megabytes.
/// </summary>
internal sealed class CollectionWatch : IDisposable
{
    private const int WatchSeconds = 300;
    private readonly IClusterClient api;
    private readonly ApiResource resource;
    private readonly string path;
    private readonly string selector;
    private readonly Action onChange;
    private readonly Action<string, Exception>? onFailure;
    private readonly Action? onStatus;
    private readonly CancellationTokenSource stop = new();
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(WatchSeconds + 60);
    private volatile ConcurrentDictionary<ResourceKey, byte[]> items = new();
    private readonly TaskCompletionSource firstList = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool synced;

    /// <param name="onFailure">Told once per streak of failures (path, first error): a forbidden watch, a server away.</param>
    /// <param name="onStatus">Told of an update that changed only what the server owns (status: a rollout progressing).</param>
    public CollectionWatch(IClusterClient api, ApiResource resource, string? ns, string selector, Action onChange, Action<string, Exception>? onFailure = null, Action? onStatus = null)
    {
        this.onFailure = onFailure;
        this.onStatus = onStatus;
        this.api = api;
        this.resource = resource;
        path = resource.Path(ns);
        this.selector = selector;
        this.onChange = onChange;
        _ = Task.Run(RunAsync);
    }

    /// <summary>The current items, once the first LIST arrived and while the watch is healthy; otherwise null.</summary>
    public async Task<IReadOnlyDictionary<ResourceKey, JsonObject>?> SnapshotAsync(CancellationToken ct)
    {
        await firstList.Task.WaitAsync(ct);
        return synced ? items.ToDictionary(i => i.Key, i => JsonNode.Parse(i.Value)!.AsObject()) : null;
    }

    private async Task RunAsync()
    {
        string? version = null;
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                version ??= await ListAsync();
                version = await WatchAsync(version);
                failures = 0;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (!stop.IsCancellationRequested)
            {
                if (failures == 0)
                {
                    onFailure?.Invoke(path, ex);
                }

                // Any failure (a timeout, a refused LIST, a half-open connection cut by the idle
                // timer): passes LIST for themselves until this watch is back.
                synced = false; // passes fall back to LISTs until the watch is back
                firstList.TrySetResult();
                version = null;
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, 1 << Math.Min(++failures, 5))), stop.Token).ConfigureAwait(false);
            }
        }
    }

    private async Task<string> ListAsync()
    {
        var list = await api.ListAsync(path, selector, stop.Token);
        var parsed = new Dictionary<ResourceKey, JsonObject>();
        LiveState.AddItems(resource, list, parsed);
        items = new ConcurrentDictionary<ResourceKey, byte[]>(parsed.Select(p => KeyValuePair.Create(p.Key, Compact(p.Value))));
        // one swap: a snapshot never sees a half-filled relist
        synced = true;
        firstList.TrySetResult();
        return (string?)list["metadata"]?["resourceVersion"] ?? "0";
    }

    /// <summary>Follows the watch until the stream ends; returns the version to resume from, or null to relist.</summary>
    private async Task<string?> WatchAsync(string version)
    {
        // The server ends the stream after WatchSeconds; silence well beyond that is a dead connection.
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        idle.CancelAfter(Idle);
        await foreach (var ev in api.WatchAsync(path, selector, version, WatchSeconds, idle.Token))
        {
            idle.CancelAfter(Idle);
            var type = (string?)ev["type"];
            if (ev["object"] is not JsonObject obj)
            {
                continue;
            }

            if (type == "ERROR")
            {
                return null; // 410 Gone (version too old) or another error: relist
            }

            version = (string?)obj["metadata"]?["resourceVersion"] ?? version;
            if (type == "BOOKMARK")
            {
                continue;
            }

            var key = LiveState.KeyOf(resource, obj);
            var before = items.GetValueOrDefault(key);
            if (type == "DELETED")
            {
                items.TryRemove(key, out _);
            }
            else
            {
                items[key] = Compact(obj);
            }

            if (type == "DELETED" || before is null || !SameDesiredState(JsonNode.Parse(before)!.AsObject(), obj))
            {
                onChange(); // status-only updates (a rollout progressing) do not wake a pass
            }
            else
            {
                onStatus?.Invoke(); // they may end a rollout, though: a worker following health wants to know
            }
        }

        return version;
    }

    private static byte[] Compact(JsonObject obj) => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(obj);

    private static bool SameDesiredState(JsonObject before, JsonObject after) =>
        GitOps.Diff.Json.JsonEquality.Equal(GitOps.Diff.Drift.ServerFields.Strip(before), GitOps.Diff.Drift.ServerFields.Strip(after))
        && GitOps.Diff.Ownership.ManagedFields.OwnedHash(before, KubeApi.FieldManager) == GitOps.Diff.Ownership.ManagedFields.OwnedHash(after, KubeApi.FieldManager);

    public void Dispose()
    {
        stop.Cancel();
        stop.Dispose();
    }
}
