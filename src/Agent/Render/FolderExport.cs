using System.Diagnostics;
using GitOps.Agent.Git;

namespace GitOps.Agent.Render;

/// <summary>
/// The offline twin of <see cref="IGitSource.ExportAsync"/> for <c>gitops render --path DIR</c>:
/// the repository around DIR (the nearest folder above holding <c>.git</c>, or DIR itself) is
/// copied as a sync would write it: <c>.git</c> left out, symlinks inside it copied as what they
/// point to, ones leading outside left out (refused under DIR). In a git work tree only what git
/// would commit is copied (<c>git ls-files -co --exclude-standard</c>: tracked and untracked, not
/// ignored), so a built checkout's <c>bin/</c>, <c>obj/</c> and <c>node_modules/</c> stay out of the
/// copy and of its read budget; without git (or outside a work tree) every file is copied.
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
        root = Path.GetFullPath(root).TrimEnd('/');
        Copy(new Walk(root, path, options, budget, Listed(root)), string.Empty, destination, 0, ct);
        return Task.CompletedTask;
    }

    /// <summary>What git would commit under <paramref name="root"/> (files and their folders), or null when it is not a git work tree or git cannot say.</summary>
    internal static HashSet<string>? Listed(string root)
    {
        if (!Directory.Exists(Path.Combine(root, ".git")) && !File.Exists(Path.Combine(root, ".git")))
        {
            return null;
        }

        var start = new ProcessStartInfo("git") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["-c", "core.fsmonitor=false", "-c", "core.quotePath=off", "ls-files", "-z", "-co", "--exclude-standard"])
        {
            start.ArgumentList.Add(arg);
        }

        try
        {
            using var git = Process.Start(start)!;
            var stderr = git.StandardError.ReadToEndAsync();
            var output = git.StandardOutput.ReadToEnd();
            git.WaitForExit();
            _ = stderr.Result;
            if (git.ExitCode != 0)
            {
                return null;
            }

            var listed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var file in output.Split('\0', StringSplitOptions.RemoveEmptyEntries))
            {
                listed.Add(file);
                for (var cut = file.LastIndexOf('/'); cut > 0; cut = file.LastIndexOf('/', cut - 1))
                {
                    if (!listed.Add(file[..cut]))
                    {
                        break; // its parents are in already
                    }
                }
            }

            return listed;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no git on PATH: copy everything
        }
    }

    private static void Copy(Walk walk, string relative, string destination, int depth, CancellationToken ct)
    {
        var (root, target, options, budget) = (walk.Root, walk.Target, walk.Options, walk.Budget);
        ct.ThrowIfCancellationRequested();
        if (depth > 64)
        {
            throw new GitSourceException($"{relative} nests folders (or symlinked folders) more than 64 deep");
        }

        Directory.CreateDirectory(destination);
        foreach (var entry in new DirectoryInfo(Path.Combine(root, relative)).EnumerateFileSystemInfos())
        {
            var path = relative.Length == 0 ? entry.Name : relative + "/" + entry.Name;
            if ((relative.Length == 0 && entry.Name == ".git") || walk.Listed?.Contains(path) == false)
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
                Copy(walk, Path.GetRelativePath(root, real!.FullName) is "." ? string.Empty : Path.GetRelativePath(root, real.FullName), onDisk, depth + 1, ct);
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

    /// <param name="Listed">Paths git would commit, or null to copy every file.</param>
    private sealed record Walk(string Root, string Target, GitOptions Options, long[] Budget, HashSet<string>? Listed);
}
