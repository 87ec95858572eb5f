using System.Text;
using LibGit2Sharp;

namespace GitOps.Agent.Git;

/// <summary>
/// Reads the manifest files (<c>.yaml</c>, <c>.yml</c>, <c>.json</c>, as <c>kubectl apply -R</c>
/// picks them) under a path straight from a commit's tree, without a checkout. A symlink or
/// submodule under the path is an error, never followed: its target is outside what the commit
/// pins down. Budgets bound what one commit can make the agent read.
/// </summary>
internal static class TreeReader
{
    /// <returns>The files sorted by path (ordinal), paths from the repository root.</returns>
    public static IReadOnlyList<SourceFile> Read(Commit commit, string path, GitOptions options)
    {
        var root = NormalizePath(path);
        var tree = FindFolder(commit, root);
        var ignore = ReadIgnoreRules(tree, root, options);

        var files = new List<SourceFile>();
        long totalBytes = 0;
        var pending = new Stack<(Tree Tree, string Prefix)>();
        pending.Push((tree, string.Empty));
        while (pending.Count > 0)
        {
            var (folder, prefix) = pending.Pop();
            foreach (var entry in folder)
            {
                var relative = prefix + entry.Name;
                var repoPath = Join(root, relative);
                if (ignore.IsIgnored(relative, entry.Mode == Mode.Directory))
                {
                    continue;
                }

                switch (entry.Mode)
                {
                    case Mode.Directory:
                        pending.Push(((Tree)entry.Target, relative + "/"));
                        break;
                    case Mode.SymbolicLink:
                        throw new GitSourceException($"{repoPath} is a symlink in commit {Short(commit)}: symlinks under the path are refused, not followed");
                    case Mode.GitLink:
                        throw new GitSourceException($"{repoPath} is a submodule in commit {Short(commit)}: submodules under the path are refused, not followed");
                    default:
                        if (!ManifestSelection.IsManifest(entry.Name))
                        {
                            break;
                        }

                        var blob = (Blob)entry.Target;
                        if (files.Count >= options.MaxFiles)
                        {
                            throw new GitSourceException($"{DisplayPath(root)} holds more than {options.MaxFiles} manifest files in commit {Short(commit)} (budget MaxFiles)");
                        }

                        if (blob.Size > options.MaxFileBytes)
                        {
                            throw new GitSourceException($"{repoPath} is {blob.Size} bytes in commit {Short(commit)}, over the budget of {options.MaxFileBytes} bytes (MaxFileBytes)");
                        }

                        totalBytes += blob.Size;
                        if (totalBytes > options.MaxTotalBytes)
                        {
                            throw new GitSourceException($"{DisplayPath(root)} holds more than {options.MaxTotalBytes} bytes of manifests in commit {Short(commit)} (budget MaxTotalBytes)");
                        }

                        files.Add(new SourceFile(repoPath, ReadBlob(blob)));
                        break;
                }
            }
        }

        files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return files;
    }

    /// <summary>How the folder at <paramref name="path"/> becomes manifests: read in-process, or rendered by a tool.</summary>
    public static RenderSource RenderSourceOf(Commit commit, string path)
    {
        var root = NormalizePath(path);
        var tree = FindFolder(commit, root);
        var kind = SourceKinds.Detect(name => tree[name] is { Mode: not (Mode.Directory or Mode.GitLink) });
        return new RenderSource(kind, root, commit.Tree.Sha);
    }

    /// <summary>"", ".", "/" mean the root; "./a/b/" means "a/b"; ".." is refused.</summary>
    internal static string NormalizePath(string? path)
    {
        var segments = (path ?? string.Empty).Replace('\\', '/')
            .Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(s => s != ".")
            .ToArray();
        if (segments.Contains(".."))
        {
            throw new GitSourceException($"path '{path}' must stay inside the repository ('..' is not allowed)");
        }

        return string.Join('/', segments);
    }

    private static Tree FindFolder(Commit commit, string root)
    {
        var tree = commit.Tree;
        var walked = string.Empty;
        foreach (var segment in root.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            walked = Join(walked, segment);
            var entry = tree[segment]
                ?? throw new GitSourceException($"path {walked} does not exist in commit {Short(commit)}");
            tree = entry.Mode switch
            {
                Mode.Directory => (Tree)entry.Target,
                Mode.SymbolicLink => throw new GitSourceException($"path {walked} is a symlink in commit {Short(commit)}: symlinks are refused, not followed"),
                Mode.GitLink => throw new GitSourceException($"path {walked} is a submodule in commit {Short(commit)}: submodules are refused, not followed"),
                _ => throw new GitSourceException($"path {walked} is a file in commit {Short(commit)}, not a folder"),
            };
        }

        return tree;
    }

    private static IgnoreRules ReadIgnoreRules(Tree tree, string root, GitOptions options)
    {
        var entry = tree[IgnoreRules.FileName];
        if (entry is null || entry.Mode is not (Mode.NonExecutableFile or Mode.ExecutableFile or Mode.NonExecutableGroupWritableFile))
        {
            // A symlinked ignore file is reported by the walk like any other symlink.
            return IgnoreRules.None;
        }

        var source = Join(root, IgnoreRules.FileName);
        var blob = (Blob)entry.Target;
        if (blob.Size > options.MaxFileBytes)
        {
            throw new GitSourceException($"{source} is {blob.Size} bytes, over the budget of {options.MaxFileBytes} bytes (MaxFileBytes)");
        }

        return IgnoreRules.Parse(Encoding.UTF8.GetString(ReadBlob(blob)), source);
    }

    private static byte[] ReadBlob(Blob blob)
    {
        var content = new byte[blob.Size];
        using var stream = blob.GetContentStream();
        stream.ReadExactly(content);
        return content;
    }

    private static string Join(string root, string relative) => root.Length == 0 ? relative : root + "/" + relative;

    private static string DisplayPath(string root) => root.Length == 0 ? "the repository root" : $"path {root}";

    private static string Short(Commit commit) => commit.Sha[..7];
}
