using System.Collections.Concurrent;
using System.Text;
using LibGit2Sharp;

namespace GitOps.Agent.Git;

/// <summary>
/// The object ids, in one commit, of the repository paths a render loaded (folders by tree id,
/// files by blob id): equal fingerprints mean those paths hold the same bytes, whatever else the
/// commit changed. Where an id cannot stand for the content, the commit's root tree does: a path
/// that is missing or passes through a symlink or submodule, and a folder holding a symlink
/// anywhere below (a materialised link's target may lie outside the folder).
/// </summary>
internal static class TreeFingerprint
{
    private const int MaxRemembered = 50_000;

    /// <summary>Tree id → whether a symlink or submodule is somewhere below it (content-addressed, so never stale).</summary>
    private static readonly ConcurrentDictionary<ObjectId, bool> Linked = new();

    public static string Of(Commit commit, IReadOnlyList<string> paths)
    {
        var text = new StringBuilder();
        foreach (var path in paths.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var id = IdOf(commit, path);
            if (id is null)
            {
                return "tree:" + commit.Tree.Sha;
            }

            text.Append(path).Append('=').Append(id).Append('\n');
        }

        return text.ToString();
    }

    private static string? IdOf(Commit commit, string path)
    {
        if (path.Length == 0)
        {
            return HasLinks(commit.Tree) ? null : commit.Tree.Sha;
        }

        return commit.Tree[path] switch
        {
            { Mode: Mode.Directory } folder => HasLinks((Tree)folder.Target) ? null : folder.Target.Sha,
            { Mode: Mode.NonExecutableFile or Mode.ExecutableFile or Mode.NonExecutableGroupWritableFile } file => file.Target.Sha + (file.Mode == Mode.ExecutableFile ? "+x" : string.Empty),
            _ => null,
        };
    }

    private static bool HasLinks(Tree tree)
    {
        if (Linked.TryGetValue(tree.Id, out var known))
        {
            return known;
        }

        var linked = tree.Any(e => e.Mode is Mode.SymbolicLink or Mode.GitLink || (e.Mode == Mode.Directory && HasLinks((Tree)e.Target)));
        if (Linked.Count > MaxRemembered)
        {
            Linked.Clear();
        }

        Linked[tree.Id] = linked;
        return linked;
    }
}
