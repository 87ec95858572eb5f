using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace GitOps.Diff.Tests.Render;

/// <summary>
/// Writes a JSON tree as block-style YAML that means exactly that tree: every string
/// double-quoted (escaping quotes, backslashes and anything not printable), numbers, booleans
/// and null plain. Independent of the renderer on purpose, so the round trip tests the reader.
/// </summary>
internal static class TestYamlEmitter
{
    public static string Document(JsonObject root)
    {
        var text = new StringBuilder();
        WriteMapping(text, root, indent: 0);
        return text.ToString();
    }

    private static void WriteMapping(StringBuilder text, JsonObject obj, int indent)
    {
        foreach (var (key, value) in obj)
        {
            text.Append(' ', indent).Append(Quote(key)).Append(':');
            WriteNested(text, value, indent);
        }
    }

    private static void WriteSequence(StringBuilder text, JsonArray array, int indent)
    {
        foreach (var item in array)
        {
            text.Append(' ', indent).Append('-');
            WriteNested(text, item, indent);
        }
    }

    /// <summary>After "key:" or "-": a scalar or empty collection on the same line, else an indented block.</summary>
    private static void WriteNested(StringBuilder text, JsonNode? node, int indent)
    {
        switch (node)
        {
            case JsonObject { Count: > 0 } obj:
                text.Append('\n');
                WriteMapping(text, obj, indent + 2);
                break;
            case JsonArray { Count: > 0 } array:
                text.Append('\n');
                WriteSequence(text, array, indent + 2);
                break;
            default:
                text.Append(' ').Append(Scalar(node)).Append('\n');
                break;
        }
    }

    private static string Scalar(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "{}",
        JsonArray => "[]",
        JsonValue v when v.TryGetValue<string>(out var s) => Quote(s),
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        JsonValue v when v.TryGetValue<long>(out var l) => l.ToString(CultureInfo.InvariantCulture),
        JsonValue v when v.TryGetValue<double>(out var d) => d.ToString("R", CultureInfo.InvariantCulture),
        _ => throw new ArgumentException($"unexpected JSON value {node.ToJsonString()}"),
    };

    public static string Quote(string s)
    {
        var text = new StringBuilder("\"");
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c is '"' or '\\')
            {
                text.Append('\\').Append(c);
            }
            else if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                text.Append(c).Append(s[++i]);
            }
            else if (IsPrintable(c))
            {
                text.Append(c);
            }
            else
            {
                text.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
        }

        return text.Append('"').ToString();
    }

    /// <summary>YAML's printable set less the characters a reader may fold or strip (tab, line breaks, BOM).</summary>
    private static bool IsPrintable(char c) =>
        c is (>= ' ' and <= '~') or (>= '\u00a0' and <= '\ud7ff') or (>= '\ue000' and <= '\ufffd')
        && c is not ('\u2028' or '\u2029' or '\ufeff');
}
