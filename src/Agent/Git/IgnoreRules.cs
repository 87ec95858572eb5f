using System.Text;
using System.Text.RegularExpressions;

namespace GitOps.Agent.Git;

/// <summary>
/// The <c>.gitopsignore</c> file at the root of a target's path: one glob a line, a small subset of
/// gitignore. <c>#</c> starts a comment; <c>*</c> and <c>?</c> stay within one folder, <c>**</c>
/// crosses folders; a pattern with a <c>/</c> is anchored at the path root, one without matches a
/// name at any depth; a trailing <c>/</c> matches folders only. Negation (<c>!</c>) is refused rather
/// than silently ignored.
/// </summary>
internal sealed class IgnoreRules
{
    public const string FileName = ".gitopsignore";

    private readonly IReadOnlyList<(Regex Pattern, bool FoldersOnly)> rules;

    private IgnoreRules(IReadOnlyList<(Regex, bool)> rules) => this.rules = rules;

    public static IgnoreRules None { get; } = new([]);

    /// <param name="text">The file's content.</param>
    /// <param name="source">The file's path in the repository, for error messages.</param>
    public static IgnoreRules Parse(string text, string source)
    {
        var rules = new List<(Regex, bool)>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith('!'))
            {
                throw new GitSourceException($"{source}:{i + 1}: negated patterns ('!') are not supported");
            }

            var foldersOnly = line.EndsWith('/');
            var glob = line.TrimEnd('/');
            var anchored = glob.Contains('/', StringComparison.Ordinal);
            glob = glob.TrimStart('/');
            if (glob.Length == 0)
            {
                continue;
            }

            var regex = (anchored ? "^" : "^(?:.*/)?") + Translate(glob) + "$";
            rules.Add((new Regex(regex, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking), foldersOnly));
        }

        return new IgnoreRules(rules);
    }

    /// <param name="relativePath">Path from the target's root, <c>/</c>-separated.</param>
    /// <param name="isFolder">Whether the entry is a folder (a tree).</param>
    public bool IsIgnored(string relativePath, bool isFolder)
    {
        foreach (var (pattern, foldersOnly) in rules)
        {
            if ((isFolder || !foldersOnly) && pattern.IsMatch(relativePath))
            {
                return true;
            }
        }

        return false;
    }

    private static string Translate(string glob)
    {
        var regex = new StringBuilder();
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                var slashFollows = i + 2 < glob.Length && glob[i + 2] == '/';
                regex.Append(slashFollows ? "(?:.*/)?" : ".*");
                i += slashFollows ? 2 : 1;
            }
            else if (c == '*')
            {
                regex.Append("[^/]*");
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }

        return regex.ToString();
    }
}
