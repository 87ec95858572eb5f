using System.Text.Json.Nodes;
using GitOps.Diff.Drift;
using GitOps.Diff.Render;

namespace GitOps.Agent.Sync;

/// <summary>
/// Fields neither compared nor put back, in Argo CD's <c>ignoreDifferences</c> shape, read the
/// same way from a target of the agent's configuration and from the CLI's
/// <c>--ignore-differences FILE</c> (a YAML list of the same items):
/// <code>
/// - group: apps            # "" or absent: the core group
///   kind: Deployment
///   name: web              # optional
///   namespace: shop        # optional
///   jsonPointers: [/spec/replicas]
/// </code>
/// </summary>
internal static class IgnoreDifferences
{
    /// <summary>Argo CD's other ways of selecting fields; copied configurations should say they do nothing here.</summary>
    private static readonly string[] NotYet = ["jqPathExpressions", "managedFieldsManagers"];

    /// <summary>The rules of a YAML file holding one list.</summary>
    /// <exception cref="FormatException">The file cannot be read or is invalid; the message names the file (and line where the reader knows it).</exception>
    public static IReadOnlyList<IgnoreRule> Load(string path)
    {
        IReadOnlyList<(JsonNode Root, SourceLocation Start)> documents;
        try
        {
            documents = ManifestRenderer.ReadDocuments(path, File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FormatException($"{path}: cannot read the file: {ex.Message}", ex);
        }
        catch (ManifestException ex)
        {
            throw new FormatException(ex.Message, ex);
        }

        if (documents.Count != 1)
        {
            throw new FormatException(documents.Count == 0 ? $"{path}: the file is empty; it must hold a list of rules" : $"{documents[1].Start}: a second document; the file must hold one list of rules");
        }

        var errors = new List<string>();
        var rules = Read(documents[0].Root, "", errors);
        return errors.Count == 0 ? rules : throw new FormatException(ConfigNode.Describe(path, errors));
    }

    /// <summary>The rules of a list node at <paramref name="path"/> (<c>targets[0].ignoreDifferences</c>); problems go to <paramref name="errors"/>.</summary>
    public static IReadOnlyList<IgnoreRule> Read(JsonNode? list, string path, List<string> errors)
    {
        if (list is not JsonArray items)
        {
            errors.Add($"{(path.Length == 0 ? "the document" : path)}: must be a list of {{group, kind, name, namespace, jsonPointers}}");
            return [];
        }

        return items.Select((item, i) => Rule(item, $"{path}[{i}]", errors)).OfType<IgnoreRule>().ToList();
    }

    private static IgnoreRule? Rule(JsonNode? item, string path, List<string> errors)
    {
        var node = ConfigNode.Of(item, path, errors);
        if (node is null)
        {
            return null;
        }

        node.NotSupportedYet(NotYet);
        var group = node.String("group") ?? ""; // Argo CD: an absent group is the core group, not "any group"
        var kind = node.Required("kind");
        var name = node.String("name");
        var ns = node.String("namespace");
        var pointers = Pointers(node);
        node.Finish();
        return kind is null || pointers is null ? null : new IgnoreRule(group, kind, ns, name, pointers);
    }

    private static IReadOnlyList<string>? Pointers(ConfigNode node)
    {
        if (!node.Has("jsonPointers"))
        {
            node.Error("jsonPointers", "required (a list of JSON pointers such as /spec/replicas)");
            return null;
        }

        var pointers = node.Strings("jsonPointers");
        if (pointers is { Count: 0 })
        {
            node.Error("jsonPointers", "must hold at least one pointer");
            return null;
        }

        var bad = pointers?.Select((p, i) => (p, i)).Where(x => !x.p.StartsWith('/')).ToList() ?? [];
        foreach (var (_, i) in bad)
        {
            node.Error($"jsonPointers[{i}]", "must start with '/' (a JSON pointer, RFC 6901)");
        }

        return bad.Count == 0 ? pointers : null;
    }
}
