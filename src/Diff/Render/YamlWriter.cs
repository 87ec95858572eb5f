using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace GitOps.Diff.Render;

/// <summary>
/// Writes objects as block-style YAML that kubectl reads back to the same JSON: a string that
/// kubectl would read as something else (<c>"yes"</c>, <c>"0755"</c>, <c>"~"</c>) is quoted.
/// </summary>
public static class YamlWriter
{
    public static string Write(IEnumerable<JsonObject> documents)
    {
        using var text = new StringWriter();
        var emitter = new Emitter(text);
        emitter.Emit(new StreamStart());
        foreach (var doc in documents)
        {
            emitter.Emit(new DocumentStart(null, null, isImplicit: false));
            Node(emitter, doc);
            emitter.Emit(new DocumentEnd(isImplicit: true));
        }

        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    private static void Node(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                emitter.Emit(new MappingStart(null, null, isImplicit: true, MappingStyle.Block));
                foreach (var (key, value) in obj)
                {
                    String(emitter, key);
                    Node(emitter, value);
                }

                emitter.Emit(new MappingEnd());
                break;
            case JsonArray array:
                emitter.Emit(new SequenceStart(null, null, isImplicit: true, SequenceStyle.Block));
                foreach (var item in array)
                {
                    Node(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                String(emitter, value.GetValue<string>());
                break;
            default:
                emitter.Emit(new Scalar(null, null, node?.ToJsonString() ?? "null", ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));
                break;
        }
    }

    private static void String(IEmitter emitter, string s)
    {
        var style = s.Contains('\n', StringComparison.Ordinal) ? ScalarStyle.Literal
            : ReadsBackAsItself(s) ? ScalarStyle.Any
            : ScalarStyle.DoubleQuoted;
        emitter.Emit(new Scalar(null, null, s, style, isPlainImplicit: true, isQuotedImplicit: true));
    }

    private static bool ReadsBackAsItself(string s)
    {
        try
        {
            return KubectlScalar.Resolve(s) is string resolved && resolved == s;
        }
        catch (FormatException)
        {
            return false; // .inf and friends: quote them
        }
    }
}
