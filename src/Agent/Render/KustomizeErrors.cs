using System.Text.RegularExpressions;
using GitOps.Agent.Git;

namespace GitOps.Agent.Render;

/// <summary>
/// Finds the repository file a Kustomize error is about. Kustomize nests its errors by the folder
/// it was accumulating (<c>accumulating resources from '../../base': … recursed accumulation of
/// path 'base': …</c>) and names the failing file relative to that folder, if at all; the innermost
/// folder and the last file named after it locate the error, with the line when the YAML parser
/// gave one. Works on stderr whose temp paths are already repository paths (<see cref="ToolRenderer.Rewrite"/>).
/// </summary>
internal static partial class KustomizeErrors
{
    /// <param name="stderr">The tool's message, paths repository-relative.</param>
    /// <param name="target">The target folder (where the build started).</param>
    /// <param name="repo">The repository copy on disk (to name the kustomization file as it is spelled).</param>
    /// <returns><c>base/cm.yaml:5</c>, <c>base/patch.yaml</c>, <c>base/kustomization.yaml</c>; null when it names nothing of the repository.</returns>
    public static string? Locate(string stderr, string target, string repo)
    {
        var folder = target;
        var after = 0;
        foreach (Match m in FolderMarker().Matches(stderr))
        {
            if (RepositoryPath(string.Empty, m.Groups["path"].Value) is { } f)
            {
                (folder, after) = (f, m.Index + m.Length);
            }
        }

        var file = FileMarker().Matches(stderr[after..]).LastOrDefault() is { } last
            ? last.Groups["root"].Success ? RepositoryPath(string.Empty, last.Groups["root"].Value) : RepositoryPath(folder, last.Groups.Cast<Group>().Skip(2).First(g => g.Success).Value)
            : null;
        var invalid = InvalidKustomization().IsMatch(stderr[after..]);
        if (file is null || invalid)
        {
            file = KustomizationOf(repo, folder);
        }

        var line = LineMarker().Matches(stderr[after..]).LastOrDefault();
        return file is null ? null : line is null ? file : $"{file}:{line.Groups[1].Value}";
    }

    /// <summary>Drops kubectl's log wrapping (<c>E1204 01:55:28.674404 19099 run.go:72] "command failed" err="…"</c>, or <c>err=&lt; … &gt;</c>).</summary>
    public static string Clean(string stderr)
    {
        var text = LogPrefix().Replace(stderr, string.Empty).Trim();
        if (text.Length > 1 && text[0] == '"' && text[^1] == '"')
        {
            return text[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal);
        }

        return text.Length > 1 && text[0] == '<' && text[^1] == '>'
            ? string.Join('\n', text[1..^1].Trim().Split('\n').Select(l => l.TrimStart('\t').TrimEnd()))
            : text;
    }

    private static string? KustomizationOf(string repo, string folder) =>
        SourceKinds.KustomizationFiles.Select(n => folder.Length == 0 ? n : folder + "/" + n).FirstOrDefault(p => File.Exists(Path.Combine(repo, p)))
        ?? (folder.Length == 0 ? "kustomization.yaml" : folder + "/kustomization.yaml");

    /// <summary>A path of the message from the repository root: "." is the root; absolute paths (outside the copy) are nothing of the repository.</summary>
    private static string? RepositoryPath(string folder, string path) =>
        path.StartsWith('/') || path.Contains("://", StringComparison.Ordinal) ? null : TreeExporter.Lexical(folder, path == "." ? string.Empty : path);

    [GeneratedRegex(@"(?:recursed accumulation of path|couldn't make target for path) '(?<path>[^']*)'")]
    private static partial Regex FolderMarker();

    [GeneratedRegex(@"evalsymlink failure on '(?<root>[^']+)'|patch file from path\(([^)]+)\)|patch from \[path: \\?""([^""\\]+)\\?""\]|accumulating resources from '([^']+)'|in File: ([^\s""\\]+)")]
    private static partial Regex FileMarker();

    [GeneratedRegex(@"invalid Kustomization")]
    private static partial Regex InvalidKustomization();

    [GeneratedRegex(@"yaml: line (\d+)")]
    private static partial Regex LineMarker();

    [GeneratedRegex(@"^E\d{4} [\d:.]+\s+\d+ \S+\] ""command failed"" err=", RegexOptions.Multiline)]
    private static partial Regex LogPrefix();
}
