using System.Text.Json.Nodes;
using GitOps.Diff.Identity;

namespace GitOps.Agent.Kube.Live;

/// <summary>
/// One collection (a kind in a namespace) of the objects that carry a label, whatever its value,
/// kept current in memory for every target at once: LIST, then WATCH from its resourceVersion
/// with bookmarks, resuming from the last version seen when the server ends the stream, and
/// LISTing again when that version is gone (410). Objects are grouped by the label's value (an
/// ApplySet id), so a target reads its own members and an event wakes only the target whose
/// member changed. 1,000 targets in one namespace cost one watch per kind, not 1,000.
/// Objects are kept as their UTF-8 JSON (a tenth of a parsed tree's memory) and parsed when a
/// pass asks for them.
/// </summary>
internal sealed class CollectionWatch : IDisposable
{
    private const int WatchSeconds = 300;
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(WatchSeconds + 60);
    private readonly IClusterClient api;
    private readonly ApiResource resource;
    private readonly string path;
    private readonly string label;
    private readonly Action<string> onChange;
    private readonly Action<string, Exception>? onFailure;
    private readonly Action<string>? onStatus;
    private readonly TimeProvider clock;
    private readonly CancellationTokenSource stop = new();
    private readonly TaskCompletionSource firstList = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock gate = new();
    private LabelIndex items = new();
    private volatile bool synced;
    private bool delivered; // the current watch delivered an event: the server was back, a later failure starts a new streak

    /// <param name="label">The label whose presence selects the collection's objects and whose value groups them.</param>
    /// <param name="onChange">Told the label value of an object whose desired state changed (not for status-only updates).</param>
    /// <param name="onFailure">Told once per streak of failures (path, first error): a forbidden watch, a server away.</param>
    /// <param name="onStatus">Told the label value of an object of which only what the server owns changed (status: a rollout progressing).</param>
    /// <param name="clock">What the waits between failed attempts are timed by (the system's unless a test fakes it).</param>
    public CollectionWatch(IClusterClient api, ApiResource resource, string? ns, string label, Action<string> onChange, Action<string, Exception>? onFailure = null, Action<string>? onStatus = null, TimeProvider? clock = null)
    {
        this.clock = clock ?? TimeProvider.System;
        this.onFailure = onFailure;
        this.onStatus = onStatus;
        this.api = api;
        this.resource = resource;
        path = resource.Path(ns);
        this.label = label;
        this.onChange = onChange;
        _ = Task.Run(RunAsync);
    }

    /// <summary>
    /// The current objects whose label is <paramref name="value"/>, once the first LIST arrived and
    /// while the watch is healthy; otherwise null.
    /// </summary>
    public async Task<IReadOnlyDictionary<ResourceKey, JsonObject>?> SnapshotAsync(string value, CancellationToken ct)
    {
        await firstList.Task.WaitAsync(ct);
        if (!synced)
        {
            return null;
        }

        KeyValuePair<ResourceKey, byte[]>[] group;
        lock (gate)
        {
            group = items.Group(value);
        }

        return group.ToDictionary(i => i.Key, i => JsonNode.Parse(i.Value)!.AsObject());
    }

    /// <summary>The object <paramref name="key"/> as last seen, whatever its label's value; null when the watch does not hold it.</summary>
    public JsonObject? Find(ResourceKey key)
    {
        (string Value, byte[] Json)? entry;
        lock (gate)
        {
            entry = items.Get(key);
        }

        return entry is { } e ? JsonNode.Parse(e.Json)!.AsObject() : null;
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
                if (delivered)
                {
                    // A watch that worked for a while and then broke (a connection cut after an
                    // outage that ended) is a new problem: told, and retried soon, not after the
                    // longest wait of the streak before it. A watch refused at once keeps its streak.
                    (failures, delivered) = (0, false);
                }

                if (failures == 0)
                {
                    onFailure?.Invoke(path, ex);
                }

                // Any failure (a timeout, a refused LIST, a half-open connection cut by the idle
                // timer): passes LIST for themselves until this watch is back.
                synced = false;
                firstList.TrySetResult();
                version = null;
                await Task.Delay(RetryDelay(++failures), clock, stop.Token).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The wait after the <paramref name="failures"/>-th failure in a row: 2 s, doubling, at most 30 s.</summary>
    internal static TimeSpan RetryDelay(int failures) => TimeSpan.FromSeconds(Math.Min(30, 1 << Math.Clamp(failures, 1, 5)));

    private async Task<string> ListAsync()
    {
        var list = await api.ListAsync(path, label, stop.Token);
        var fresh = new LabelIndex();
        foreach (var item in (list["items"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = LiveState.KeyOf(resource, item);
            if (LabelOf(item) is { } value)
            {
                fresh.Set(key, value, Compact(item));
            }
        }

        IReadOnlyCollection<string> changed;
        lock (gate)
        {
            // A relist after the watch was down: what changed meanwhile wakes its targets (the first LIST wakes no one).
            changed = firstList.Task.IsCompleted ? items.ChangedGroups(fresh) : [];
            items = fresh; // one swap: a snapshot never sees a half-filled relist
        }

        synced = true;
        firstList.TrySetResult();
        foreach (var value in changed)
        {
            onChange(value);
        }

        return (string?)list["metadata"]?["resourceVersion"] ?? "0";
    }

    /// <summary>Follows the watch until the stream ends; returns the version to resume from, or null to relist.</summary>
    private async Task<string?> WatchAsync(string version)
    {
        // The server ends the stream after WatchSeconds; silence well beyond that is a dead connection.
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        idle.CancelAfter(Idle);
        delivered = false;
        await foreach (var ev in api.WatchAsync(path, label, version, WatchSeconds, idle.Token))
        {
            idle.CancelAfter(Idle);
            delivered = true;
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
            if (type != "BOOKMARK")
            {
                Apply(type, obj);
            }
        }

        return version;
    }

    private void Apply(string? type, JsonObject obj)
    {
        var key = LiveState.KeyOf(resource, obj);
        var value = type == "DELETED" ? null : LabelOf(obj);
        (string Value, byte[] Json)? before;
        lock (gate)
        {
            before = items.Get(key);
            if (value is null)
            {
                items.Remove(key);
            }
            else
            {
                items.Set(key, value, Compact(obj));
            }
        }

        if (before is { } was && was.Value != value)
        {
            onChange(was.Value); // left that set (deleted or relabelled)
        }

        if (value is not null && (before is null || before.Value.Value != value || !SameDesiredState(JsonNode.Parse(before.Value.Json)!.AsObject(), obj)))
        {
            onChange(value); // status-only updates (a rollout progressing) do not wake a pass
        }
        else if (value is not null)
        {
            onStatus?.Invoke(value); // they may end a rollout, though: a worker following health wants to know
        }
    }

    private string? LabelOf(JsonObject obj) => (string?)obj["metadata"]?["labels"]?[label];

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
