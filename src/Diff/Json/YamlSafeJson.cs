using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace GitOps.Diff.Json;

/// <summary>
/// JSON text that a YAML parser reads back as the same value. System.Text.Json writes characters
/// beyond the Basic Multilingual Plane (emoji, many CJK extensions) as surrogate-pair escapes
/// (<c>\uD83D\uDE00</c>), which is valid JSON but not YAML: the API server reads an apply body
/// as YAML and refuses it ("found invalid Unicode character escape code"). Such pairs are
/// written as the characters themselves instead; everything else is left as it is.
/// </summary>
public static partial class YamlSafeJson
{
    public static string Write(JsonNode node) => Unescape(node.ToJsonString());

    /// <summary>
    /// The same text as <see cref="Write"/>, as UTF-8 bytes written straight from the node: a
    /// request body without a UTF-16 string in between (the common case has no surrogate pair).
    /// </summary>
    public static byte[] WriteUtf8(JsonNode node)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            node.WriteTo(writer);
        }

        return HasEscapedSurrogate(buffer.WrittenSpan)
            ? Encoding.UTF8.GetBytes(Unescape(Encoding.UTF8.GetString(buffer.WrittenSpan)))
            : buffer.WrittenSpan.ToArray();
    }

    private static bool HasEscapedSurrogate(ReadOnlySpan<byte> json) =>
        json.IndexOf("\\uD"u8) >= 0 || json.IndexOf("\\ud"u8) >= 0;

    /// <summary>Replaces escaped surrogate pairs (not preceded by an escaping backslash) with the characters.</summary>
    public static string Unescape(string json) =>
        json.Contains("\\uD", StringComparison.OrdinalIgnoreCase)
            ? SurrogatePair().Replace(json, m => m.Groups[1].Value + char.ConvertFromUtf32(char.ConvertToUtf32(Hex(m.Groups[2].Value), Hex(m.Groups[3].Value))))
            : json;

    private static char Hex(string digits) => (char)int.Parse(digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    // An even run of backslashes (escaped backslashes) may precede the pair; an odd one would mean
    // the "\u" is itself escaped text, not an escape.
    [GeneratedRegex(@"(?<!\\)((?:\\\\)*)\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})")]
    private static partial Regex SurrogatePair();
}
