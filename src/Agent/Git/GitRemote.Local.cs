using System.Text;
using LibGit2Sharp;

namespace GitOps.Agent.Git;

/// <summary>
/// The compare-and-swap of a ref in a remote on this file system (a path or a <c>file://</c> URL).
/// </summary>
/// <remarks>
/// libgit2's local transport does not guard a push: it checks fast-forward against the refs it
/// listed when it connected, copies the objects, then overwrites the remote ref with no check of
/// its current value, so a writer that landed in between is silently lost. Nor can
/// <c>Refs.UpdateTarget</c> guard it: LibGit2Sharp looks the ref up again inside the call and
/// compares against that fresh value, not ours. So the update is done the way git itself does it:
/// take <c>&lt;ref&gt;.lock</c> with an exclusive create (the lock git, libgit2 and receive-pack all
/// respect), read the current value under it, write the new value into the lock file and rename
/// it over the loose ref. A loose ref wins over a packed one, as in git. Reflogs are not written
/// (bare repositories keep none by default). Shelling out to <c>git push</c> would give receive-pack's
/// guard too, but the agent and the CLI depend on no git binary (LibGit2Sharp is in-process).
/// </remarks>
internal sealed partial class GitRemote
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>The remote's folder when it is on this file system, else null.</summary>
    private string? LocalPath()
    {
        var url = Location.Url;
        if (url.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            return new Uri(url).LocalPath;
        }

        // RepositoryLocation makes local paths absolute; a URL or scp-like address is never rooted.
        return Path.IsPathRooted(url) ? url : null;
    }

    private SwapResult SwapLocal(string path, string refName, ObjectId? expected, ObjectId desired)
    {
        try
        {
            return SwapUnderRefLock(path, refName, expected, desired);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new GitSourceException($"push to {Location.Url}: {ex.Message}", ex);
        }
    }

    private SwapResult SwapUnderRefLock(string path, string refName, ObjectId? expected, ObjectId desired)
    {
        using var remote = new Repository(path);

        // Objects first: once the ref moves, every reader must find what it points at.
        CopyMissingObjects(remote, desired);
        var refFile = Path.Combine(remote.Info.Path, refName);
        var lockFile = refFile + ".lock";
        Directory.CreateDirectory(Path.GetDirectoryName(refFile)!);
        if (TakeLock(lockFile, out var lockError) is not { } stream)
        {
            // A lock left by a crashed writer stays until removed by hand, as with git; the refusal names the file.
            return SwapResult.Refused($"{refName} could not be locked, another writer may hold it: {lockError}");
        }

        var renamed = false;
        try
        {
            using (stream)
            {
                // Read under the lock: no git, libgit2 or receive-pack writer can move the ref until we let go.
                var current = remote.Refs[refName]?.ResolveToDirectReference()?.TargetIdentifier is { } sha ? new ObjectId(sha) : null;
                if (current != expected)
                {
                    return SwapResult.Refused(Moved(refName, expected, current));
                }

                stream.Write(Encoding.ASCII.GetBytes(desired.Sha + "\n"));
                stream.Flush(flushToDisk: true);
            }

            File.Move(lockFile, refFile, overwrite: true);
            renamed = true;
            return SwapResult.Done;
        }
        finally
        {
            if (!renamed)
            {
                File.Delete(lockFile);
            }
        }
    }

    /// <summary>
    /// Creates the lock file exclusively, waiting up to <see cref="LockTimeout"/> for another
    /// writer's few milliseconds under it (git's own <c>core.filesRefLockTimeout</c> default);
    /// null (and the last error, which names the file) when it stays taken.
    /// </summary>
    private static FileStream? TakeLock(string lockFile, out string? error)
    {
        var deadline = Environment.TickCount64 + (long)LockTimeout.TotalMilliseconds;
        while (true)
        {
            try
            {
                error = null;
                return new FileStream(lockFile, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            }
            catch (IOException ex)
            {
                error = ex.Message;
                if (Environment.TickCount64 >= deadline)
                {
                    return null;
                }
            }

            Thread.Sleep(Random.Shared.Next(1, 10));
        }
    }

    /// <summary>
    /// Packs into the remote the objects of <paramref name="tip"/> it lacks: the commits back to
    /// the ones it has (the value the write was based on) and their new trees and blobs; a tree
    /// the remote has is not descended into.
    /// </summary>
    private void CopyMissingObjects(Repository remote, ObjectId tip)
    {
        var missing = new List<ObjectId>();
        var pending = new Stack<Commit>([repository.Lookup<Commit>(tip)]);
        while (pending.TryPop(out var commit))
        {
            if (remote.ObjectDatabase.Contains(commit.Id) || missing.Contains(commit.Id))
            {
                continue;
            }

            missing.Add(commit.Id);
            CollectMissing(remote, commit.Tree, missing);
            foreach (var parent in commit.Parents)
            {
                pending.Push(parent);
            }
        }

        if (missing.Count == 0)
        {
            return;
        }

        var packs = Path.Combine(remote.Info.Path, "objects", "pack");
        repository.ObjectDatabase.Pack(new PackBuilderOptions(packs), builder =>
        {
            foreach (var id in missing)
            {
                builder.Add(id);
            }
        });
    }

    private static void CollectMissing(Repository remote, Tree tree, List<ObjectId> missing)
    {
        if (remote.ObjectDatabase.Contains(tree.Id) || missing.Contains(tree.Id))
        {
            return;
        }

        missing.Add(tree.Id);
        foreach (var entry in tree)
        {
            switch (entry.Target)
            {
                case Tree subtree:
                    CollectMissing(remote, subtree, missing);
                    break;
                case Blob blob when !remote.ObjectDatabase.Contains(blob.Id):
                    missing.Add(blob.Id);
                    break;
            }
        }
    }
}
