using GitOps.Diff.Render;

namespace GitOps.Agent.Render;

/// <summary>
/// Rendered output by key, least recently used first out, bounded by bytes. A key covers all
/// that decides the output (repository tree, folder, tool and version, parameters, capabilities),
/// so a hit is exactly what the tool would print again. Thread-safe.
/// </summary>
internal sealed class RenderCache(long maxBytes)
{
    private readonly SizedLru<IReadOnlyList<ManifestFile>> entries = new(maxBytes, files => files.Sum(f => (long)f.Content.Length + f.Path.Length));

    public int Count => entries.Count;

    public bool TryGet(string key, out IReadOnlyList<ManifestFile> files)
    {
        var found = entries.TryGet(key, out var value);
        files = found ? value! : [];
        return found;
    }

    /// <summary>Keeps the output unless it alone is larger than the whole cache.</summary>
    public void Put(string key, IReadOnlyList<ManifestFile> files) => entries.Put(key, files);
}
