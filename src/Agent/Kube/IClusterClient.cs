using System.Text.Json.Nodes;

namespace GitOps.Agent.Kube;

/// <summary>
/// The cluster as the engine sees it: JSON over the Kubernetes REST API. <see cref="KubeApi"/> is
/// the real one; tests of pure orchestration use hand-written fakes.
/// </summary>
/// <remarks>
/// Errors: the server's refusals arrive as <see cref="KubeApiException"/> (classified by its
/// predicates); an unreachable server as <see cref="HttpRequestException"/> or a timeout's
/// <see cref="TaskCanceledException"/>; a write attempted after this replica lost its Lease as
/// <see cref="FenceLostException"/>, before anything is sent.
/// </remarks>
internal interface IClusterClient
{
    /// <summary>Counts of requests sent, by verb.</summary>
    RequestCounter Requests { get; }

    /// <summary>The object at <paramref name="path"/>, or null when it does not exist.</summary>
    Task<JsonObject?> GetAsync(string path, CancellationToken ct);

    Task<JsonObject> ListAsync(string path, string? labelSelector, CancellationToken ct);

    /// <summary>Server-side apply as <see cref="KubeApi.FieldManager"/>, forcing conflicts; a dry run writes nothing.</summary>
    Task<JsonObject> ApplyAsync(string path, JsonObject body, bool dryRun, CancellationToken ct);

    Task<JsonObject> JsonPatchAsync(string path, JsonArray patch, CancellationToken ct);

    Task<JsonObject> CreateAsync(string collectionPath, JsonObject body, CancellationToken ct, bool dryRun = false);

    /// <summary>Deletes in the background; true if it existed. Preconditions (uid, resourceVersion) make it a 409 otherwise.</summary>
    Task<bool> DeleteAsync(string path, CancellationToken ct, JsonObject? preconditions = null);

    IAsyncEnumerable<JsonObject> WatchAsync(string path, string? labelSelector, string resourceVersion, int timeoutSeconds, CancellationToken ct);
}
