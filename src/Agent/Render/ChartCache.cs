namespace GitOps.Agent.Render;

/// <summary>One fetched chart package: its file name as Helm saved it (<c>name-version.tgz</c>) and its bytes.</summary>
#pragma warning disable CA1819 // written once, copied out whole
internal sealed record ChartPackage(string FileName, byte[] Bytes);
#pragma warning restore CA1819

/// <summary>
/// Chart packages fetched from repositories, by (repository, chart name, exact version), least
/// recently used first out, bounded by bytes. Kept in memory, not in a shared folder: no path
/// another process could predict or plant a package at. A render whose every dependency is pinned
/// (Chart.lock, or an exact version) and cached reaches no network. Thread-safe.
/// </summary>
internal sealed class ChartCache(long maxBytes)
{
    /// <summary>32 MiB: a few hundred typical chart packages.</summary>
    public const long DefaultBytes = 32L << 20;

    private readonly SizedLru<ChartPackage> entries = new(maxBytes, package => package.Bytes.LongLength);

    public static string KeyOf(ChartRepository repository, string dependencyRepository, string name, string version) =>
        string.Join('\u0001', repository.Key, dependencyRepository.TrimEnd('/'), name, version);

    public bool TryGet(string key, out ChartPackage? package) => entries.TryGet(key, out package);

    /// <summary>Keeps the package unless it alone is larger than the whole cache.</summary>
    public void Put(string key, ChartPackage package) => entries.Put(key, package);
}
