using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using GitOps.Agent.Sync;
using GitOps.Diff.Identity;

namespace GitOps.Agent.Kube;

/// <summary>
/// One collection (a kind in a namespace, filtered by a label selector) kept current in memory:
/// LIST, then WATCH from its resourceVersion with bookmarks, resuming from the last version
/// seen when the server ends the stream, and LISTing again when that version is gone (410).
/// Objects handed out are shared: callers treat them as read-only.
/// </summary>
internal sealed class CollectionWatch : IDisposable
{
    private const int WatchSeconds = 300;
    private readonly KubeApi api;
    private readonly ApiResource resource;
    private readonly string path;
    private readonly string selector;
    private readonly Action onChange;
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentDictionary<ResourceKey, JsonObject> items = new();
    private readonly TaskCompletionSource firstList = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool synced;

    public CollectionWatch(KubeApi api, ApiResource resource, string? ns, string selector, Action onChange)
    {
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
        return synced ? new Dictionary<ResourceKey, JsonObject>(items) : null;
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
            catch (Exception ex) when (ex is HttpRequestException or KubeApiException or IOException or System.Text.Json.JsonException)
            {
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
        var fresh = new Dictionary<ResourceKey, JsonObject>();
        LiveState.AddItems(resource, list, fresh);
        items.Clear();
        foreach (var (key, obj) in fresh)
        {
            items[key] = obj;
        }

        synced = true;
        firstList.TrySetResult();
        return (string?)list["metadata"]?["resourceVersion"] ?? "0";
    }

    /// <summary>Follows the watch until the stream ends; returns the version to resume from, or null to relist.</summary>
    private async Task<string?> WatchAsync(string version)
    {
        await foreach (var ev in api.WatchAsync(path, selector, version, WatchSeconds, stop.Token))
        {
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
            if (type == "DELETED")
            {
                items.TryRemove(key, out _);
            }
            else
            {
                items[key] = obj;
            }

            onChange();
        }

        return version;
    }

    public void Dispose()
    {
        stop.Cancel();
        stop.Dispose();
    }
}
