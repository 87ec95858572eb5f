using System.Text;

namespace GitOps.Agent.Git;

/// <summary>
/// The manifests of a folder on disk, selected exactly as <see cref="TreeReader"/> selects them
/// from a commit: <see cref="ManifestSelection"/>, the folder's <c>.gitopsignore</c>, symlinks
/// refused, the same budgets. What <c>gitops render</c> prints is what a sync of that folder reads.
/// </summary>
internal static class FolderReader
{
    /// <returns>The files sorted by path (ordinal), paths relative to <paramref name="root"/>.</returns>
    /// <exception cref="GitSourceException">A symlink, or a budget exceeded.</exception>
    public static IReadOnlyList<SourceFile> Read(string root, GitOptions options)
    {
        var ignoreFile = Path.Combine(root, IgnoreRules.FileName);
        var ignore = File.Exists(ignoreFile) && !IsLink(ignoreFile)
            ? IgnoreRules.Parse(File.ReadAllText(ignoreFile, Encoding.UTF8), IgnoreRules.FileName)
            : IgnoreRules.None;
        var files = new List<SourceFile>();
        long total = 0;
        var pending = new Stack<string>([root]);
        while (pending.Count > 0)
        {
            foreach (var entry in new DirectoryInfo(pending.Pop()).EnumerateFileSystemInfos())
            {
                var relative = Path.GetRelativePath(root, entry.FullName).Replace('\\', '/');
                var folder = entry is DirectoryInfo;
                if (ignore.IsIgnored(relative, folder))
                {
                    continue;
                }

                if (IsLink(entry.FullName))
                {
                    throw new GitSourceException($"{relative} is a symlink: symlinks under the path are refused, not followed");
                }

                if (folder)
                {
                    pending.Push(entry.FullName);
                }
                else if (ManifestSelection.IsManifest(entry.Name))
                {
                    total += Budget((FileInfo)entry, relative, files.Count, total, options);
                    files.Add(new SourceFile(relative, File.ReadAllBytes(entry.FullName)));
                }
            }
        }

        files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return files;
    }

    private static long Budget(FileInfo file, string relative, int count, long total, GitOptions options)
    {
        if (count >= options.MaxFiles)
        {
            throw new GitSourceException($"the folder holds more than {options.MaxFiles} manifest files (budget MaxFiles)");
        }

        if (file.Length > options.MaxFileBytes)
        {
            throw new GitSourceException($"{relative} is {file.Length} bytes, over the budget of {options.MaxFileBytes} bytes (MaxFileBytes)");
        }

        return total + file.Length > options.MaxTotalBytes
            ? throw new GitSourceException($"the folder holds more than {options.MaxTotalBytes} bytes of manifests (budget MaxTotalBytes)")
            : file.Length;
    }

    private static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;
}
