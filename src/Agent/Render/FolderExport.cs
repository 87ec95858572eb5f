using GitOps.Agent.Git;

namespace GitOps.Agent.Render;

/// <summary>
/// The offline twin of <see cref="IGitSource.ExportAsync"/> for <c>gitops render --path DIR</c>:
/// the repository around DIR (the nearest folder above holding <c>.git</c>, or DIR itself) is
/// copied as a sync would write it: <c>.git</c> left out, symlinks inside it copied as what they
/// point to, ones leading outside left out (refused under DIR).
/// </summary>
internal static class FolderExport
{
    /// <returns>The repository root and DIR relative to it ("" when they are the same).</returns>
    public static (string Root, string Path) Locate(string dir)
    {
        var full = Path.GetFullPath(dir).TrimEnd('/');
        for (var at = new DirectoryInfo(full); at is not null; at = at.Parent)
        {
            if (Directory.Exists(Path.Combine(at.FullName, ".git")) || File.Exists(Path.Combine(at.FullName, ".git")))
            {
                var relative = Path.GetRelativePath(at.FullName, full).Replace('\\', '/');
                return (at.FullName, relative == "." ? string.Empty : relative);
            }
        }

        return (full, string.Empty);
    }

    public static Task CopyAsync(string root, string path, string destination, GitOptions options, CancellationToken ct)
    {
        var budget = new long[2];
        Copy(Path.GetFullPath(root), string.Empty, path, destination, options, budget, 0, ct);
        return Task.CompletedTask;
    }

    private static void Copy(string root, string relative, string target, string destination, GitOptions options, long[] budget, int depth, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (depth > 64)
        {
            throw new GitSourceException($"{relative} nests folders (or symlinked folders) more than 64 deep");
        }

        Directory.CreateDirectory(destination);
        foreach (var entry in new DirectoryInfo(Path.Combine(root, relative)).EnumerateFileSystemInfos())
        {
            var path = relative.Length == 0 ? entry.Name : relative + "/" + entry.Name;
            if (relative.Length == 0 && entry.Name == ".git")
            {
                continue;
            }

            var real = entry.LinkTarget is null ? entry : entry.ResolveLinkTarget(returnFinalTarget: true);
            var inside = real is not null && real.Exists && (real.FullName + "/").StartsWith(root + "/", StringComparison.Ordinal);
            if (!inside)
            {
                if (target.Length == 0 || path == target || path.StartsWith(target + "/", StringComparison.Ordinal))
                {
                    throw new GitSourceException($"{path} is a symlink that leads outside the repository (or to nothing): refused, not followed");
                }

                continue;
            }

            var onDisk = Path.Combine(destination, entry.Name);
            if (real is DirectoryInfo)
            {
                Copy(root, Path.GetRelativePath(root, real!.FullName) is "." ? string.Empty : Path.GetRelativePath(root, real.FullName), target, onDisk, options, budget, depth + 1, ct);
            }
            else
            {
                var length = ((FileInfo)real!).Length;
                if (++budget[0] > options.MaxFiles || (budget[1] += length) > options.MaxTotalBytes || length > options.MaxFileBytes)
                {
                    throw new GitSourceException($"the repository around {target} is over the read budgets (MaxFiles, MaxFileBytes, MaxTotalBytes) at {path}");
                }

                File.Copy(real.FullName, onDisk);
            }
        }
    }
}
