using GitOps.Diff.Render;

namespace GitOps.Agent.Render;

/// <summary>
/// Rendered output by key, least recently used first out, bounded by bytes. A key covers all
/// that decides the output (repository tree, folder, tool and version, parameters, capabilities),
/// so a hit is exactly what the tool would print again. Thread-safe.
/// </summary>
internal sealed class RenderCache(long maxBytes)
{
    private readonly object gate = new();
    private readonly LinkedList<(string Key, IReadOnlyList<ManifestFile> Files, long Bytes)> order = new();
    private readonly Dictionary<string, LinkedListNode<(string Key, IReadOnlyList<ManifestFile> Files, long Bytes)>> entries = new(StringComparer.Ordinal);
    private long bytes;

    public int Count
    {
        get
        {
            lock (gate)
            {
                return entries.Count;
            }
        }
    }

    public bool TryGet(string key, out IReadOnlyList<ManifestFile> files)
    {
        lock (gate)
        {
            if (entries.TryGetValue(key, out var node))
            {
                order.Remove(node);
                order.AddFirst(node);
                files = node.Value.Files;
                return true;
            }
        }

        files = [];
        return false;
    }

    /// <summary>Keeps the output unless it alone is larger than the whole cache.</summary>
    public void Put(string key, IReadOnlyList<ManifestFile> files)
    {
        var size = files.Sum(f => (long)f.Content.Length + f.Path.Length);
        if (size > maxBytes)
        {
            return;
        }

        lock (gate)
        {
            if (entries.Remove(key, out var old))
            {
                order.Remove(old);
                bytes -= old.Value.Bytes;
            }

            entries[key] = order.AddFirst((key, files, size));
            bytes += size;
            while (bytes > maxBytes && order.Last is { } last)
            {
                order.RemoveLast();
                entries.Remove(last.Value.Key);
                bytes -= last.Value.Bytes;
            }
        }
    }
}
