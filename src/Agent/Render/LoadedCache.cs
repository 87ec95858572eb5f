using System.Security.Cryptography;
using System.Text;
using GitOps.Diff.Render;

namespace GitOps.Agent.Render;

/// <summary>
/// The render cache keyed by what a build loaded, not by the whole commit: an entry's key is the
/// target's settings key (renderer, tool and version, folder, parameters, capabilities) plus the
/// ids, in the rendered commit, of every repository path the build loaded (the folders and files
/// the Kustomize guard walked; a chart's folder and values files). A pass at another commit asks
/// the source for the ids of the paths the last render of those settings loaded; when they are
/// equal, the output is too, and no tool runs. A commit elsewhere in the repository costs a
/// lookup of a few tree ids; a commit at the same tree costs a dictionary lookup. Without a
/// fingerprint (offline, or a source that cannot tell), entries are keyed by the whole tree.
/// Everything is bounded: outputs by bytes (<see cref="RenderCache"/>), the path lists and the
/// tree → entry shortcuts by count.
/// </summary>
internal sealed class LoadedCache(long maxBytes)
{
    private const int MaxShortcuts = 4096;
    private readonly RenderCache outputs = new(maxBytes);
    private readonly SizedLru<IReadOnlyList<string>> loaded = new(MaxShortcuts, _ => 1);
    private readonly SizedLru<string> byTree = new(MaxShortcuts, _ => 1);

    public int Count => outputs.Count;

    /// <param name="settings">Everything but the repository content that decides the output.</param>
    public async Task<IReadOnlyList<ManifestFile>?> TryGetAsync(string settings, RenderJob job, CancellationToken ct)
    {
        if (job.TreeKey is not { } tree)
        {
            return null;
        }

        if (byTree.TryGet(settings + "@" + tree, out var key) && outputs.TryGet(key, out var files))
        {
            return files;
        }

        if (job.Fingerprint is null || !loaded.TryGet(settings, out var paths) || await job.Fingerprint(paths, ct) is not { } fingerprint)
        {
            return null;
        }

        key = Hash(settings, "loaded", fingerprint);
        if (!outputs.TryGet(key, out files))
        {
            return null;
        }

        byTree.Put(settings + "@" + tree, key);
        return files;
    }

    /// <param name="paths">The repository paths the build loaded; null when not known (then the whole tree keys the entry).</param>
    public async Task PutAsync(string settings, RenderJob job, IReadOnlyList<string>? paths, IReadOnlyList<ManifestFile> files, CancellationToken ct)
    {
        if (job.TreeKey is not { } tree)
        {
            return;
        }

        var fingerprint = paths is not null && job.Fingerprint is not null ? await job.Fingerprint(paths, ct) : null;
        var key = fingerprint is null ? Hash(settings, "tree", tree) : Hash(settings, "loaded", fingerprint);
        if (fingerprint is not null)
        {
            loaded.Put(settings, paths!);
        }

        byTree.Put(settings + "@" + tree, key);
        outputs.Put(key, files);
    }

    private static string Hash(params string[] parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u0000', parts))));
}
