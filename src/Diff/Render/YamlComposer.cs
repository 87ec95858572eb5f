using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace GitOps.Diff.Render;

/// <summary>
/// Builds JSON from YamlDotNet's event stream the way kubectl reads YAML (sigs.k8s.io/yaml):
/// YAML 1.1 scalars, anchors and aliases, <c>&lt;&lt;</c> merge keys with later keys winning.
/// Unlike kubectl it refuses duplicate keys, naming both places. Aliases are expanded with a
/// node budget checked before each copy, so an exponential "billion laughs" fails at once.
/// </summary>
internal sealed partial class YamlComposer
{
    private const string MergeKey = "<<";
    private readonly Scanner scanner;
    private readonly IParser parser;
    private readonly string file;
    private readonly RenderLimits limits;
    private readonly NodeBudget budget;
    private readonly Dictionary<string, Anchored> anchors = new(StringComparer.Ordinal);

    private YamlComposer(string text, string file, RenderLimits limits, NodeBudget budget)
    {
        scanner = new Scanner(new StringReader(text));
        parser = new Parser(scanner);
        this.file = file;
        this.limits = limits;
        this.budget = budget;
    }

    /// <summary>Every non-empty document of <paramref name="text"/>, with the place it starts.</summary>
    public static List<(JsonNode Root, SourceLocation Start)> Compose(
        string text, string file, RenderLimits limits, NodeBudget budget)
    {
        var composer = new YamlComposer(text, file, limits, budget);
        try
        {
            return composer.Documents();
        }
        catch (YamlException ex)
        {
            // Some scanner errors (a tab used as indentation) carry no position; the scanner
            // stopped where the problem is.
            var mark = ex.Start.Index == 0 && ex.End.Index == 0 ? composer.scanner.CurrentPosition : ex.Start;
            var at = new SourceLocation(file, (int)mark.Line, (int)mark.Column);
            throw new ManifestException(at, Clean(ex.Message), ex);
        }
        catch (Exception ex) when (ex is not ManifestException && ThrownInsideYamlDotNet(ex))
        {
            // YamlDotNet sometimes fails on malformed input with an exception that is not a
            // YamlException ("..." before the first document, an invalid surrogate escape); it is
            // still bad input, not a bug of ours.
            var mark = composer.scanner.CurrentPosition;
            throw new ManifestException(new SourceLocation(file, (int)mark.Line, (int)mark.Column), $"invalid YAML: {ex.Message}", ex);
        }
    }

    private static bool ThrownInsideYamlDotNet(Exception ex) =>
        new System.Diagnostics.StackTrace(ex).GetFrames().Any(f => f.GetMethod()?.DeclaringType?.Assembly == typeof(Parser).Assembly);

    private List<(JsonNode, SourceLocation)> Documents()
    {
        var documents = new List<(JsonNode, SourceLocation)>();
        parser.Consume<StreamStart>();
        var count = 0;
        while (parser.TryConsume<DocumentStart>(out var start))
        {
            var at = Location(start.Start);
            if (++count > limits.MaxDocumentsPerFile)
            {
                throw new ManifestException(at, $"more than {limits.MaxDocumentsPerFile} documents in one file");
            }

            anchors.Clear(); // anchors are scoped to their document
            var root = Node(depth: 0);
            parser.Consume<DocumentEnd>();
            if (root is not null)
            {
                documents.Add((root, at));
            }
        }

        parser.Consume<StreamEnd>();
        return documents;
    }

    private JsonNode? Node(int depth)
    {
        var current = parser.Current ?? throw new YamlException("unexpected end of input");
        if (depth > limits.MaxDepth)
        {
            throw Error(current.Start, $"nesting deeper than {limits.MaxDepth} levels");
        }

        return current switch
        {
            AnchorAlias alias => Alias(alias),
            Scalar scalar => Remember(scalar, ScalarNode(scalar), 1),
            MappingStart mapping => Mapping(mapping, depth),
            SequenceStart sequence => Sequence(sequence, depth),
            _ => throw Error(current.Start, $"unexpected {current.GetType().Name}"),
        };
    }

    private JsonNode? ScalarNode(Scalar scalar)
    {
        parser.MoveNext();
        budget.Spend(1, () => Location(scalar.Start));
        try
        {
            return ToNode(KubectlScalar.ToJson(Resolve(scalar)));
        }
        catch (FormatException ex)
        {
            throw Error(scalar.Start, ex.Message);
        }
    }

    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        _ => throw new InvalidOperationException("unreachable"),
    };

    private static YamlScalar Resolve(Scalar scalar) =>
        KubectlScalar.Tagged(scalar.Tag.IsEmpty ? null : scalar.Tag.Value, scalar.Style == ScalarStyle.Plain, scalar.Value);

    private JsonObject Mapping(MappingStart start, int depth)
    {
        parser.MoveNext();
        budget.Spend(1, () => Location(start.Start));
        var result = new JsonObject();
        var explicitKeys = new Dictionary<string, Mark>(StringComparer.Ordinal);
        long nodes = 1;
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var keyEvent = parser.Current!;
            var before = budget.Spent;
            if (keyEvent is Scalar { Value: MergeKey, Style: ScalarStyle.Plain })
            {
                parser.MoveNext();
                Merge(result, Node(depth + 1), keyEvent.Start);
                nodes += budget.Spent - before;
                continue;
            }

            var key = Key(keyEvent, depth);
            if (explicitKeys.TryGetValue(key, out var first))
            {
                throw Error(keyEvent.Start, $"duplicate key \"{key}\" (first defined at {Location(first)})");
            }

            explicitKeys[key] = keyEvent.Start;
            result[key] = Node(depth + 1);
            nodes += budget.Spent - before;
        }

        return (JsonObject)Remember(start, result, nodes)!;
    }

    private string Key(ParsingEvent keyEvent, int depth)
    {
        if (keyEvent is Scalar scalar)
        {
            parser.MoveNext();
            budget.Spend(1, () => Location(scalar.Start));
            try
            {
                // Written from the YAML type, not the JSON value: the float 1e10 and the int
                // 10000000000 are one JSON number but two different keys.
                var resolved = Resolve(scalar);
                if (!scalar.Anchor.IsEmpty)
                {
                    Remember(scalar, ToNode(KubectlScalar.ToJson(resolved)), 1); // `&k key: …` then `other: *k`
                }

                return KubectlScalar.KeyText(resolved);
            }
            catch (FormatException ex)
            {
                throw Error(scalar.Start, ex.Message);
            }
        }

        var value = Node(depth + 1);
        if (value is JsonValue v)
        {
            try
            {
                return KubectlScalar.KeyText(ScalarValue(v));
            }
            catch (FormatException ex)
            {
                throw Error(keyEvent.Start, ex.Message);
            }
        }

        throw Error(keyEvent.Start, value is null ? "a null mapping key cannot be converted to JSON" : "a mapping key must be a scalar");
    }

    private static YamlScalar ScalarValue(JsonValue node) => node.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.String => new(YamlKind.String, node.GetValue<string>()),
        System.Text.Json.JsonValueKind.True => new(YamlKind.Bool, true),
        System.Text.Json.JsonValueKind.False => new(YamlKind.Bool, false),
        _ => node.TryGetValue<long>(out var l) ? new(YamlKind.Int, new System.Numerics.BigInteger(l)) : new(YamlKind.Float, node.GetValue<double>()),
    };

    /// <summary>go-yaml v2: a merge sets each merged key; in a list, earlier maps win over later ones.</summary>
    private void Merge(JsonObject target, JsonNode? source, Mark at)
    {
        switch (source)
        {
            case JsonObject map:
                foreach (var (k, v) in map)
                {
                    target[k] = v?.DeepClone();
                }

                break;
            case JsonArray list when list.All(item => item is JsonObject):
                for (var i = list.Count - 1; i >= 0; i--)
                {
                    Merge(target, list[i], at);
                }

                break;
            default:
                throw Error(at, "the value of a merge key (<<) must be a mapping or a list of mappings");
        }
    }

    private JsonArray Sequence(SequenceStart start, int depth)
    {
        parser.MoveNext();
        budget.Spend(1, () => Location(start.Start));
        var result = new JsonArray();
        var before = budget.Spent;
        while (!parser.TryConsume<SequenceEnd>(out _))
        {
            result.Add(Node(depth + 1));
        }

        return (JsonArray)Remember(start, result, 1 + budget.Spent - before)!;
    }

    private JsonNode? Alias(AnchorAlias alias)
    {
        parser.MoveNext();
        if (!anchors.TryGetValue(alias.Value.Value, out var anchored))
        {
            throw Error(alias.Start, $"unknown alias *{alias.Value.Value}");
        }

        budget.Spend(anchored.Nodes, () => Location(alias.Start));
        return anchored.Node?.DeepClone();
    }

    private JsonNode? Remember(NodeEvent node, JsonNode? value, long nodes)
    {
        if (!node.Anchor.IsEmpty)
        {
            anchors[node.Anchor.Value] = new Anchored(value, nodes);
        }

        return value;
    }

    private SourceLocation Location(Mark mark) => new(file, (int)mark.Line, (int)mark.Column);

    private ManifestException Error(Mark mark, string reason) => new(Location(mark), reason);

    private static string Clean(string message) => YamlMarkPrefix().Replace(message, string.Empty);

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex YamlMarkPrefix();

    private sealed record Anchored(JsonNode? Node, long Nodes);
}
