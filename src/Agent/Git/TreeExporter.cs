using LibGit2Sharp;

namespace GitOps.Agent.Git;

/// <summary>
/// Writes a commit's whole tree into a folder, for a renderer (Kustomize, Helm) to read: tools
/// load files beside and above the target folder, so the copy is the repository. Symlinks are
/// materialised when they resolve inside the commit (a tool then never follows a link out of the
/// copy); ones that leave it and submodules are refused under the target folder and left out
/// elsewhere. The read budgets of <see cref="GitOptions"/> bound the copy.
/// </summary>
internal sealed class TreeExporter(Commit commit, string targetPath, GitOptions options)
{
    private const int MaxLinkHops = 16;
    private int files;
    private long bytes;

    public void Write(string destination)
    {
        Directory.CreateDirectory(destination);
        WriteTree(commit.Tree, string.Empty, destination, depth: 0);
    }

    private void WriteTree(Tree tree, string repoPath, string folder, int depth)
    {
        if (depth > 64)
        {
            throw new GitSourceException($"{repoPath} nests folders (or symlinked folders) more than 64 deep");
        }

        foreach (var entry in tree)
        {
            var path = Join(repoPath, entry.Name);
            var onDisk = Path.Combine(folder, entry.Name);
            switch (entry.Mode)
            {
                case Mode.Directory:
                    Directory.CreateDirectory(onDisk);
                    WriteTree((Tree)entry.Target, path, onDisk, depth + 1);
                    break;
                case Mode.GitLink:
                    Refuse(path, $"{path} is a submodule in commit {Short}: submodules are refused, not followed");
                    break;
                case Mode.SymbolicLink:
                    WriteLink(entry, path, onDisk, depth);
                    break;
                default:
                    WriteBlob((Blob)entry.Target, path, onDisk, entry.Mode == Mode.ExecutableFile);
                    break;
            }
        }
    }

    private void WriteLink(TreeEntry link, string path, string onDisk, int depth)
    {
        var resolved = Resolve(path, link);
        switch (resolved?.Mode)
        {
            case null:
                Refuse(path, $"{path} is a symlink in commit {Short} that leads outside the repository (or to nothing): refused, not followed");
                break;
            case Mode.Directory:
                Directory.CreateDirectory(onDisk);
                WriteTree((Tree)resolved.Target, path, onDisk, depth + 1);
                break;
            case Mode.GitLink:
                Refuse(path, $"{path} is a symlink to a submodule in commit {Short}: refused");
                break;
            default:
                WriteBlob((Blob)resolved.Target, path, onDisk, resolved.Mode == Mode.ExecutableFile);
                break;
        }
    }

    /// <summary>Follows a link (and links it leads to) through the commit's tree; null when it leaves the repository or leads nowhere.</summary>
    private TreeEntry? Resolve(string path, TreeEntry link)
    {
        var current = link;
        var at = path;
        for (var hop = 0; hop < MaxLinkHops && current.Mode == Mode.SymbolicLink; hop++)
        {
            var target = ((Blob)current.Target).GetContentText().Trim();
            if (target.StartsWith('/') || Lexical(ParentOf(at), target) is not { } inside)
            {
                return null;
            }

            if (inside.Length == 0)
            {
                return null; // the root itself: a copy of the repository inside the repository
            }

            current = commit.Tree[inside];
            if (current is null)
            {
                return null;
            }

            at = inside;
        }

        return current.Mode == Mode.SymbolicLink ? null : current;
    }

    private void WriteBlob(Blob blob, string path, string onDisk, bool executable)
    {
        if (++files > options.MaxFiles)
        {
            throw new GitSourceException($"the repository holds more than {options.MaxFiles} files in commit {Short} (budget MaxFiles, for rendering)");
        }

        if (blob.Size > options.MaxFileBytes)
        {
            throw new GitSourceException($"{path} is {blob.Size} bytes in commit {Short}, over the budget of {options.MaxFileBytes} bytes (MaxFileBytes)");
        }

        bytes += blob.Size;
        if (bytes > options.MaxTotalBytes)
        {
            throw new GitSourceException($"the repository holds more than {options.MaxTotalBytes} bytes in commit {Short} (budget MaxTotalBytes, for rendering)");
        }

        using (var source = blob.GetContentStream())
        using (var target = new FileStream(onDisk, FileMode.CreateNew, FileAccess.Write))
        {
            source.CopyTo(target);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(onDisk, executable ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b110_100_100);
        }
    }

    /// <summary>Refused under the target folder; elsewhere left out (a tool that needs it then says it is missing).</summary>
    private void Refuse(string path, string message)
    {
        if (targetPath.Length == 0 || path == targetPath || path.StartsWith(targetPath + "/", StringComparison.Ordinal))
        {
            throw new GitSourceException(message);
        }
    }

    /// <summary>Joins and normalises a relative path; null when '..' climbs above the root.</summary>
    internal static string? Lexical(string folder, string relative)
    {
        var parts = new List<string>(folder.Split('/', StringSplitOptions.RemoveEmptyEntries));
        foreach (var segment in relative.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == "..")
            {
                if (parts.Count == 0)
                {
                    return null;
                }

                parts.RemoveAt(parts.Count - 1);
            }
            else if (segment != ".")
            {
                parts.Add(segment);
            }
        }

        return string.Join('/', parts);
    }

    private static string ParentOf(string path) => path.Contains('/', StringComparison.Ordinal) ? path[..path.LastIndexOf('/')] : string.Empty;

    private static string Join(string root, string name) => root.Length == 0 ? name : root + "/" + name;

    private string Short => commit.Sha[..7];
}
