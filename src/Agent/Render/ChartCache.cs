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

    private readonly object gate = new();
    private readonly LinkedList<(string Key, ChartPackage Package)> order = new();
    private readonly Dictionary<string, LinkedListNode<(string Key, ChartPackage Package)>> entries = new(StringComparer.Ordinal);
    private long bytes;

    public static string KeyOf(ChartRepository repository, string dependencyRepository, string name, string version) =>
        string.Join('\u0001', repository.Key, dependencyRepository.TrimEnd('/'), name, version);

    public bool TryGet(string key, out ChartPackage? package)
    {
        lock (gate)
        {
            if (entries.TryGetValue(key, out var node))
            {
                order.Remove(node);
                order.AddFirst(node);
                package = node.Value.Package;
                return true;
            }
        }

        package = null;
        return false;
    }

    public void Put(string key, ChartPackage package)
    {
        if (package.Bytes.Length > maxBytes)
        {
            return;
        }

        lock (gate)
        {
            if (entries.Remove(key, out var old))
            {
                order.Remove(old);
                bytes -= old.Value.Package.Bytes.Length;
            }

            entries[key] = order.AddFirst((key, package));
            bytes += package.Bytes.Length;
            while (bytes > maxBytes && order.Last is { } last)
            {
                order.RemoveLast();
                entries.Remove(last.Value.Key);
                bytes -= last.Value.Package.Bytes.Length;
            }
        }
    }
}
