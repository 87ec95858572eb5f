namespace GitOps.Agent.Kube;

/// <summary>
/// Which resource serves a kind, and its scope. <see cref="DiscoveryCache"/> asks the server
/// lazily per group version and caches; errors are the client's (see <see cref="IClusterClient"/>).
/// </summary>
internal interface IDiscovery
{
    /// <summary>The resource serving <paramref name="kind"/> at <paramref name="apiVersion"/>, or null if the server has none.</summary>
    Task<ApiResource?> ResolveAsync(string apiVersion, string kind, CancellationToken ct);

    /// <summary>Forget what is known of a version: a CRD of it was just applied.</summary>
    void Invalidate(string apiVersion);

    /// <summary>Every namespaced kind that can be listed, at its group's preferred version.</summary>
    Task<IReadOnlyList<ApiResource>> NamespacedListableAsync(CancellationToken ct);
}
