using System.Text.Json.Nodes;
using GitOps.Agent.Git;
using GitOps.Diff.Render;

namespace GitOps.Agent.Render;

/// <summary>
/// Reads every kustomization a build would reach, before the build, and refuses what must not be
/// loaded: a path that climbs out of the repository copy and remote resources (URLs, git
/// repositories). <c>--load-restrictor LoadRestrictionsRootOnly</c> keeps each kustomization's
/// files under its own folder, but a base folder may be anywhere on disk, so the repository
/// boundary is checked here. Errors name the kustomization file and line.
/// </summary>
internal static class KustomizeGuard
{
    private static readonly string[] ListFields = ["resources", "bases", "components", "crds", "configurations", "generators", "transformers", "validators", "patchesStrategicMerge"];
    private static readonly string[] PatchFields = ["patches", "patchesJson6902", "replacements"];
    private static readonly string[] GeneratorFields = ["configMapGenerator", "secretGenerator"];

    /// <param name="repo">The repository copy on disk.</param>
    /// <param name="folder">The kustomization folder, from the repository root.</param>
    /// <exception cref="RenderException">A load outside the repository, a remote resource, a Helm inflation.</exception>
    /// <exception cref="ManifestException">A kustomization file that is not valid YAML.</exception>
    public static void Check(string repo, string folder) => Reachable(repo, folder);

    /// <summary>What a build reaches: kustomization folders and the files they name, from the repository root, and whether it loads remote resources.</summary>
    internal sealed record Reached(IReadOnlyList<string> Folders, IReadOnlyList<string> Files, bool Remote);

    /// <summary>
    /// Walks every kustomization the build of <paramref name="folder"/> reaches, refusing as
    /// <see cref="Check"/> does. Returns the kustomization folders and the files they name
    /// (resources, patches, generator files and env files), from the repository root: what the
    /// build can load, for <see cref="StderrSecrets"/>.
    /// </summary>
    /// <param name="allowRemote">Remote resources are allowed (the target says so): recorded, not refused.</param>
    /// <inheritdoc cref="Check" path="/exception"/>
    public static Reached Reachable(string repo, string folder, bool allowRemote = false)
    {
        var remote = false;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var (folders, files) = (new List<string>(), new List<string>());
        var pending = new Stack<string>([folder]);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (!seen.Add(current) || FileOf(repo, current) is not { } file)
            {
                continue;
            }

            folders.Add(current);
            var (root, at) = ReadOne(repo, file);
            foreach (var (reference, source) in References(root, at, file))
            {
                if (allowRemote && IsRemote(reference))
                {
                    remote = true;
                    continue;
                }

                var target = Resolve(current, reference, source);
                if (Directory.Exists(Path.Combine(repo, target)))
                {
                    pending.Push(target);
                }
                else if (File.Exists(Path.Combine(repo, target)))
                {
                    files.Add(target);
                }
            }
        }

        return new Reached(folders, files, remote);
    }

    private static string? FileOf(string repo, string folder) =>
        SourceKinds.KustomizationFiles.Select(n => folder.Length == 0 ? n : folder + "/" + n).FirstOrDefault(p => File.Exists(Path.Combine(repo, p)));

    private static (JsonObject Root, SourceLocation At) ReadOne(string repo, string file)
    {
        var text = File.ReadAllText(Path.Combine(repo, file));
        var docs = ManifestRenderer.ReadDocuments(file, text);
        return docs.Count == 1 && docs[0].Root is JsonObject o ? (o, docs[0].Start) : (new JsonObject(), new SourceLocation(file, 1, 1));
    }

    /// <summary>Every path-like value a kustomization names, with where it is written.</summary>
    private static IEnumerable<(string Reference, string Source)> References(JsonObject root, SourceLocation at, string file)
    {
        if (root["helmCharts"] is not null || root["helmChartInflationGenerator"] is not null)
        {
            throw new RenderException($"{file}: helmCharts needs 'kustomize build --enable-helm', which fetches charts from the network; render the chart as a Helm target instead");
        }

        foreach (var field in ListFields)
        {
            foreach (var item in (root[field] as JsonArray ?? []).OfType<JsonValue>())
            {
                if (item.TryGetValue<string>(out var s) && !s.Contains('\n', StringComparison.Ordinal))
                {
                    yield return (s, $"{file} ({field})");
                }
            }
        }

        foreach (var field in PatchFields)
        {
            foreach (var item in (root[field] as JsonArray ?? []).OfType<JsonObject>())
            {
                if ((string?)item["path"] is { } p)
                {
                    yield return (p, $"{file} ({field})");
                }
            }
        }

        foreach (var field in GeneratorFields)
        {
            foreach (var gen in (root[field] as JsonArray ?? []).OfType<JsonObject>())
            {
                var names = (gen["files"] as JsonArray ?? []).Concat(gen["envs"] as JsonArray ?? []).Append(gen["env"]);
                foreach (var s in names.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var t) ? t : null).OfType<string>())
                {
                    yield return (s.Contains('=', StringComparison.Ordinal) ? s[(s.IndexOf('=', StringComparison.Ordinal) + 1)..] : s, $"{file} ({field})");
                }
            }
        }

        if ((string?)root["openapi"]?["path"] is { } openapi)
        {
            yield return (openapi, $"{file} (openapi)");
        }

        _ = at;
    }

    /// <summary>The reference from the repository root; refused when remote or outside the repository.</summary>
    private static string Resolve(string folder, string reference, string source)
    {
        if (IsRemote(reference))
        {
            throw new RenderException($"{source}: '{UrlRedactor.Redact(reference)}' is a remote resource; remote bases and files are refused (vendor them into the repository, or allow them on the target: kustomize: {{allowRemoteResources: true}}, or --kustomize-allow-remote)");
        }

        return reference.StartsWith('/') || TreeExporter.Lexical(folder, reference) is not { } inside
            ? throw new RenderException($"{source}: '{reference}' is outside the repository; a kustomization may only load files of its repository")
            : inside;
    }

    private static bool IsRemote(string reference) =>
        reference.Contains("://", StringComparison.Ordinal)
        || reference.StartsWith("git@", StringComparison.Ordinal)
        || reference.StartsWith("github.com/", StringComparison.Ordinal)
        || reference.StartsWith("gitlab.com/", StringComparison.Ordinal)
        || reference.StartsWith("bitbucket.org/", StringComparison.Ordinal)
        || reference.Contains("?ref=", StringComparison.Ordinal)
        || reference.Contains(".git//", StringComparison.Ordinal);
}
