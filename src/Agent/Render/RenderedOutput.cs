using System.Text;
using GitOps.Diff.Render;

namespace GitOps.Agent.Render;

/// <summary>
/// A tool's stdout as files for the reader. Helm marks each document with
/// <c># Source: &lt;chart&gt;/templates/x.yaml</c>; those become one file per template, named by
/// its repository path, so an error names the template. Kustomize gives no origin: one file.
/// </summary>
internal static class RenderedOutput
{
    private const string SourceMark = "# Source: ";

    public static IReadOnlyList<ManifestFile> Kustomize(string folder, byte[] stdout) =>
        [new ManifestFile($"{Display(folder)} (kustomize build)", stdout)];

    /// <param name="chartFolder">The chart folder from the repository root.</param>
    public static IReadOnlyList<ManifestFile> Helm(string chartFolder, byte[] stdout)
    {
        var pieces = new Dictionary<string, StringBuilder>(StringComparer.Ordinal);
        var current = $"{Display(chartFolder)} (helm template)";
        foreach (var document in Documents(Encoding.UTF8.GetString(stdout)))
        {
            var first = document.TrimStart('\n');
            if (first.StartsWith(SourceMark, StringComparison.Ordinal))
            {
                var end = first.IndexOf('\n', StringComparison.Ordinal);
                var source = (end < 0 ? first[SourceMark.Length..] : first[SourceMark.Length..end]).Trim();
                current = $"{RepositoryPath(chartFolder, source)} (helm template)";
            }

            if (!pieces.TryGetValue(current, out var text))
            {
                pieces[current] = text = new StringBuilder();
            }

            text.Append("---\n").Append(document).Append('\n');
        }

        return pieces.Select(p => new ManifestFile(p.Key, Encoding.UTF8.GetBytes(p.Value.ToString()))).ToList();
    }

    /// <summary>The documents of a stream, split where a line is exactly <c>---</c> (as Helm writes them).</summary>
    private static IEnumerable<string> Documents(string text)
    {
        var current = new StringBuilder();
        foreach (var line in text.Split('\n'))
        {
            if (line.TrimEnd('\r') == "---")
            {
                if (current.ToString().Trim().Length > 0)
                {
                    yield return current.ToString();
                }

                current.Clear();
                continue;
            }

            current.Append(line).Append('\n');
        }

        if (current.ToString().Trim().Length > 0)
        {
            yield return current.ToString();
        }
    }

    /// <summary>Helm names sources by chart name (<c>django/templates/x.yaml</c>); the chart's folder replaces the name.</summary>
    private static string RepositoryPath(string chartFolder, string source)
    {
        var slash = source.IndexOf('/', StringComparison.Ordinal);
        var rest = slash < 0 ? source : source[(slash + 1)..];
        return chartFolder.Length == 0 ? rest : $"{chartFolder}/{rest}";
    }

    private static string Display(string folder) => folder.Length == 0 ? "." : folder;
}
