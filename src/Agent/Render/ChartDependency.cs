using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GitOps.Agent.Git;
using GitOps.Diff.Render;

namespace GitOps.Agent.Render;

/// <summary>A dependency of Chart.yaml, with the version Chart.lock pins when the chart has one.</summary>
/// <param name="Name">The chart's name in its repository.</param>
/// <param name="Version">The pinned version (Chart.lock), or Chart.yaml's version or range.</param>
/// <param name="Repository">As Chart.yaml writes it: a URL, <c>@name</c>, <c>alias:name</c>, <c>file://…</c> or empty.</param>
internal sealed partial record ChartDependency(string Name, string Version, string Repository)
{
    /// <summary>An exact version, not a range: then the package can be cached and found again without asking the repository.</summary>
    public bool Pinned => ExactVersion().IsMatch(Version);

    /// <summary>Fetched from a chart repository (not vendored-only, not a local <c>file://</c> chart).</summary>
    public bool Remote => Repository.Length > 0 && !Repository.StartsWith("file://", StringComparison.Ordinal);

    /// <summary>
    /// The dependencies of the chart in <paramref name="chartDir"/> that are not vendored under its
    /// <c>charts/</c> and come from a repository; versions as Chart.lock pins them when it lists them.
    /// </summary>
    public static IReadOnlyList<ChartDependency> Missing(string chartDir, string what)
    {
        var declared = Read(Path.Combine(chartDir, SourceKinds.ChartFile), what);
        if (declared.Count == 0)
        {
            return [];
        }

        var lockFile = Path.Combine(chartDir, "Chart.lock");
        var locked = File.Exists(lockFile) ? Read(lockFile, what) : [];
        var vendored = Vendored(Path.Combine(chartDir, "charts"));
        if (declared.FirstOrDefault(d => d.Remote && !ChartName().IsMatch(d.Name)) is { } bad)
        {
            throw new RenderException($"{what}: {SourceKinds.ChartFile} names a dependency '{bad.Name}'; a chart name is letters, digits, '.', '_' and '-'");
        }

        return declared
            .Where(d => d.Remote && !vendored.Contains(d.Name))
            .Select(d => locked.FirstOrDefault(l => l.Name == d.Name && l.Repository.TrimEnd('/') == d.Repository.TrimEnd('/')) is { } pin ? d with { Version = pin.Version } : d)
            .Distinct()
            .ToList();
    }

    /// <summary>The <c>dependencies:</c> of a Chart.yaml or Chart.lock.</summary>
    internal static List<ChartDependency> Read(string file, string what)
    {
        JsonNode? root;
        try
        {
            root = First(file);
        }
        catch (ManifestException ex)
        {
            throw new RenderException($"{what}: {Path.GetFileName(file)} does not read: {ex.Message}", ex);
        }

        var list = new List<ChartDependency>();
        foreach (var item in (root?["dependencies"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (Text(item["name"]) is { Length: > 0 } name)
            {
                list.Add(new ChartDependency(name, Text(item["version"]) ?? string.Empty, Text(item["repository"]) ?? string.Empty));
            }
        }

        return list;
    }

    /// <summary>Chart names under <c>charts/</c>: folders by their Chart.yaml's name, packages by their file name (<c>name-1.2.3.tgz</c>).</summary>
    private static HashSet<string> Vendored(string charts)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (!Directory.Exists(charts))
        {
            return names;
        }

        foreach (var dir in Directory.EnumerateDirectories(charts))
        {
            var chartFile = Path.Combine(dir, SourceKinds.ChartFile);
            try
            {
                if (File.Exists(chartFile) && Text(First(chartFile)?["name"]) is { } name)
                {
                    names.Add(name);
                }
            }
            catch (ManifestException)
            {
                // helm template reports a vendored chart that does not load
            }
        }

        foreach (var package in Directory.EnumerateFiles(charts, "*.tgz"))
        {
            if (PackageName().Match(Path.GetFileName(package)) is { Success: true } m)
            {
                names.Add(m.Groups[1].Value);
            }
        }

        return names;
    }

    private static JsonNode? First(string file)
    {
        var documents = ManifestRenderer.ReadDocuments(Path.GetFileName(file), File.ReadAllText(file));
        return documents.Count == 0 ? null : documents[0].Root;
    }

    private static string? Text(JsonNode? node) => node is JsonValue v ? v.ToString() : null;

    [GeneratedRegex(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$")]
    private static partial Regex ExactVersion();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex ChartName();

    [GeneratedRegex(@"^(.+?)-v?\d+\.\d+\.\d+.*\.tgz$")]
    private static partial Regex PackageName();
}
