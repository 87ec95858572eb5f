using System.Text;
using System.Text.Json.Nodes;

namespace GitOps.Diff.Render;

/// <summary>
/// Files of a revision → objects, read exactly as <c>kubectl apply -f</c> reads them: every
/// YAML/JSON document of every file in path order, empty documents skipped, <c>kind: List</c>
/// expanded. Any invalid input throws <see cref="ManifestException"/> naming file:line:column.
/// </summary>
public static class ManifestRenderer
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static IReadOnlyList<Manifest> Render(IEnumerable<ManifestFile> files, RenderLimits? limits = null)
    {
        limits ??= RenderLimits.Default;
        var revision = new NodeBudget(limits.MaxNodesPerRevision);
        var manifests = new List<Manifest>();
        long bytes = 0;
        foreach (var file in files.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            var start = new SourceLocation(file.Path, 1, 1);
            bytes += file.Content.Length;
            if (file.Content.Length > limits.MaxFileBytes)
            {
                throw new ManifestException(start, $"file is larger than {limits.MaxFileBytes:N0} bytes");
            }

            if (bytes > limits.MaxRevisionBytes)
            {
                throw new ManifestException(start, $"the revision's files exceed {limits.MaxRevisionBytes:N0} bytes");
            }

            foreach (var manifest in RenderFile(file.Path, Decode(file, start), limits, revision))
            {
                manifests.Add(manifest);
                if (manifests.Count > limits.MaxObjectsPerRevision)
                {
                    throw new ManifestException(manifest.Source, $"the revision has more than {limits.MaxObjectsPerRevision:N0} objects");
                }
            }
        }

        return manifests;
    }

    /// <summary>Objects of one file's text (for tests and single-file tools).</summary>
    public static IReadOnlyList<Manifest> RenderText(string path, string text, RenderLimits? limits = null) =>
        Render([new ManifestFile(path, Encoding.UTF8.GetBytes(text))], limits);

    /// <summary>
    /// Every document of one text whatever its shape (a list, a mapping), by the same kubectl
    /// rules: for configuration files, which are not manifests. Errors name file:line:column.
    /// </summary>
    public static IReadOnlyList<(JsonNode Root, SourceLocation Start)> ReadDocuments(string path, string text, RenderLimits? limits = null)
    {
        limits ??= RenderLimits.Default;
        return YamlComposer.Compose(text, path, limits, new NodeBudget(limits.MaxNodesPerFile));
    }

    private static IEnumerable<Manifest> RenderFile(string path, string text, RenderLimits limits, NodeBudget revision)
    {
        var budget = new NodeBudget(limits.MaxNodesPerFile, revision);
        foreach (var (root, at) in YamlComposer.Compose(text, path, limits, budget))
        {
            if (root is not JsonObject obj)
            {
                throw new ManifestException(at, $"a document must be an object, found {root.GetValueKind()}");
            }

            foreach (var item in Expand(obj, at))
            {
                yield return item;
            }
        }
    }

    /// <summary><c>kind: List</c> (and <c>*List</c> kinds of v1) hold their objects in <c>items</c>.</summary>
    private static IEnumerable<Manifest> Expand(JsonObject obj, SourceLocation at)
    {
        var kind = obj["kind"] is JsonValue k && k.TryGetValue<string>(out var s) ? s : null;
        if (kind is null || !kind.EndsWith("List", StringComparison.Ordinal) || obj["items"] is not JsonArray items)
        {
            yield return new Manifest(obj, at);
            yield break;
        }

        foreach (var item in items.ToList())
        {
            if (item is not JsonObject member)
            {
                throw new ManifestException(at, $"every item of a {kind} must be an object");
            }

            items.Remove(member); // detach so the object can stand alone
            foreach (var nested in Expand(member, at))
            {
                yield return nested;
            }
        }
    }

    private static string Decode(ManifestFile file, SourceLocation start)
    {
        try
        {
            var text = StrictUtf8.GetString(file.Content.Span);
            return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
        }
        catch (DecoderFallbackException ex)
        {
            throw new ManifestException(start, "file is not valid UTF-8", ex);
        }
    }
}
