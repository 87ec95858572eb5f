using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using GitOps.Agent.Kube;

namespace GitOps.Agent.Tests.Sync;

/// <summary>
/// An API server in memory for tests of the engine's ordering and concurrency: core v1 ConfigMaps
/// and Namespaces, objects kept by path, every request recorded in the order it started and ended.
/// Each dry-run and apply waits a little (random, seeded) so that requests really overlap.
/// </summary>
internal sealed class FakeCluster : IClusterClient
{
    private readonly ConcurrentDictionary<string, JsonObject> objects = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Call> calls = new();
    private readonly Random random = new(13);
    private readonly Lock gate = new();
    private int version;
    private int dryRunsInFlight;
    private int appliesInFlight;
    private int writesStarted;
    private long events;

    /// <summary>One request: what it was, and the order numbers of its start and end among all events.</summary>
    public sealed record Call(string Verb, string Path, long Started, long Ended);

    public RequestCounter Requests { get; } = new();

    /// <summary>Thrown for a request when it returns non-null: (path, dry run) → the server's refusal.</summary>
    public Func<string, bool, Exception?> Fault { get; init; } = (_, _) => null;

    /// <summary>Called as each real (not dry-run) object write starts, with how many have started.</summary>
    public Action<int>? OnWrite { get; init; }

    public IReadOnlyList<Call> Calls => [.. calls];

    public int PeakDryRunsInFlight { get; private set; }

    public int PeakAppliesInFlight { get; private set; }

    public IReadOnlyCollection<string> Paths => [.. objects.Keys];

    public JsonObject? Object(string path) => objects.GetValueOrDefault(path);

    public Task<JsonObject?> GetAsync(string path, CancellationToken ct) => Record("GET", path, () => Task.FromResult(
        path == "/api/v1" ? Discovery() : objects.TryGetValue(path, out var o) ? (JsonObject?)o.DeepClone().AsObject() : null));

    public Task<JsonObject> ListAsync(string path, string? labelSelector, CancellationToken ct) => Record("LIST", path, () =>
    {
        var items = new JsonArray([.. objects.Where(o => o.Key.StartsWith(path + "/", StringComparison.Ordinal) && !o.Key[(path.Length + 1)..].Contains('/'))
            .Select(o => (JsonNode)o.Value.DeepClone())]);
        return Task.FromResult(new JsonObject { ["metadata"] = new JsonObject { ["resourceVersion"] = $"{version}" }, ["items"] = items });
    });

    public Task<JsonObject> ApplyAsync(string path, JsonObject body, bool dryRun, CancellationToken ct) =>
        Record(dryRun ? "PATCH (dry-run)" : "PATCH", path, async () =>
        {
            var write = !dryRun && !path.Contains("/namespaces/default/", StringComparison.Ordinal); // the inventory lives in default
            var started = write ? Interlocked.Increment(ref writesStarted) : 0;
            if (write)
            {
                OnWrite?.Invoke(started);
            }

            var now = dryRun ? Interlocked.Increment(ref dryRunsInFlight) : Interlocked.Increment(ref appliesInFlight);
            lock (gate)
            {
                PeakDryRunsInFlight = Math.Max(PeakDryRunsInFlight, dryRun ? now : 0);
                PeakAppliesInFlight = Math.Max(PeakAppliesInFlight, dryRun ? 0 : now);
            }

            try
            {
                await Task.Delay(Delay(), ct);
                if (Fault(path, dryRun) is { } refused)
                {
                    throw refused;
                }

                var result = Stored(body);
                if (!dryRun)
                {
                    objects[path] = result;
                }

                return (JsonObject)result.DeepClone();
            }
            finally
            {
                _ = dryRun ? Interlocked.Decrement(ref dryRunsInFlight) : Interlocked.Decrement(ref appliesInFlight);
            }
        });

    public Task<JsonObject> JsonPatchAsync(string path, JsonArray patch, CancellationToken ct) => throw new NotSupportedException(path);

    public Task<JsonObject> CreateAsync(string collectionPath, JsonObject body, CancellationToken ct, bool dryRun = false) =>
        Record(dryRun ? "POST (dry-run)" : "POST", collectionPath, () =>
        {
            var path = $"{collectionPath}/{(string)body["metadata"]!["name"]!}";
            if (objects.ContainsKey(path))
            {
                throw new KubeApiException(HttpStatusCode.Conflict, "AlreadyExists", $"{path} already exists");
            }

            var stored = Stored(body);
            if (!dryRun)
            {
                objects[path] = stored;
            }

            return Task.FromResult((JsonObject)stored.DeepClone());
        });

    public Task<bool> DeleteAsync(string path, CancellationToken ct, JsonObject? preconditions = null) =>
        Record("DELETE", path, () => Task.FromResult(objects.TryRemove(path, out _)));

    public IAsyncEnumerable<JsonObject> WatchAsync(string path, string? labelSelector, string resourceVersion, int timeoutSeconds, CancellationToken ct) =>
        throw new NotSupportedException(path);

    private async Task<T> Record<T>(string verb, string path, Func<Task<T>> send)
    {
        var started = Interlocked.Increment(ref events);
        try
        {
            return await send();
        }
        finally
        {
            calls.Enqueue(new Call(verb, path, started, Interlocked.Increment(ref events)));
        }
    }

    private TimeSpan Delay()
    {
        lock (gate)
        {
            return TimeSpan.FromMilliseconds(random.Next(0, 4));
        }
    }

    private JsonObject Stored(JsonObject body)
    {
        var stored = (JsonObject)body.DeepClone();
        var metadata = stored["metadata"]!.AsObject();
        metadata["resourceVersion"] = $"{Interlocked.Increment(ref version)}";
        metadata["uid"] ??= Guid.NewGuid().ToString();
        return stored;
    }

    private static JsonObject Discovery() => new()
    {
        ["kind"] = "APIResourceList",
        ["groupVersion"] = "v1",
        ["resources"] = new JsonArray(
            new JsonObject { ["name"] = "configmaps", ["kind"] = "ConfigMap", ["namespaced"] = true },
            new JsonObject { ["name"] = "namespaces", ["kind"] = "Namespace", ["namespaced"] = false }),
    };
}
