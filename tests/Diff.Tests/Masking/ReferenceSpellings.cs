using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace GitOps.Diff.Tests.Masking;

/// <summary>
/// The tests' own encoders, written from the Go and JSON specifications independently of the
/// production code (runes of a .NET string, a lookup of Go's escapes), so a property test that
/// embeds these spellings checks the redactor against a second reading of the rules.
/// </summary>
internal static class ReferenceSpellings
{
    private static readonly Dictionary<int, string> GoEscapes = new()
    {
        [7] = @"\a", [8] = @"\b", [9] = @"\t", [10] = @"\n", [11] = @"\v", [12] = @"\f", [13] = @"\r",
        ['"'] = "\\\"", ['\\'] = @"\\",
    };

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Go's <c>strconv.Quote(s)</c> (or <c>QuoteToASCII</c>), quotes included.</summary>
    public static string GoQuote(string s, bool ascii = false)
    {
        var sb = new StringBuilder("\"");
        foreach (var r in s.EnumerateRunes())
        {
            var printable = r.Value == ' ' || Rune.GetUnicodeCategory(r) is not (UnicodeCategory.Control or UnicodeCategory.Format
                or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned);
            sb.Append(
                GoEscapes.TryGetValue(r.Value, out var e) ? e
                : printable && (!ascii || r.Value < 0x80) ? r.ToString()
                : r.Value < 0x20 || r.Value == 0x7f ? $"\\x{r.Value:x2}"
                : r.Value < 0x10000 ? $"\\u{r.Value:x4}"
                : $"\\U{r.Value:x8}");
        }

        return sb.Append('"').ToString();
    }

    /// <summary>Go's <c>json.Marshal(s)</c>: HTML-safe, non-ASCII kept, lower-case hex, quotes included.</summary>
    public static string GoJson(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => @"\\",
                '\n' => @"\n",
                '\r' => @"\r",
                '\t' => @"\t",
                '\b' => @"\b",
                '\f' => @"\f",
                < ' ' or '<' or '>' or '&' or '\u2028' or '\u2029' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return sb.Append('"').ToString();
    }

    /// <summary>System.Text.Json's default writer (non-ASCII as upper-case <c>\uXXXX</c>).</summary>
    public static string StjDefault(string s) => JsonSerializer.Serialize(s);

    public static string StjRelaxed(string s) => JsonSerializer.Serialize(s, Relaxed);

    /// <summary>Every spelling a test embeds, without the quotes around it: clear, quoted and escaped forms, JSON around Go, base64.</summary>
    public static IEnumerable<(string Name, string Text)> All(string s)
    {
        var b64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(s));
        var url = b64.Replace('+', '-').Replace('/', '_');
        yield return ("raw", s);
        yield return ("go %q", Inner(GoQuote(s)));
        yield return ("go %+q", Inner(GoQuote(s, ascii: true)));
        yield return ("go json", Inner(GoJson(s)));
        yield return ("stj default", Inner(StjDefault(s)));
        yield return ("stj relaxed", Inner(StjRelaxed(s)));
        yield return ("stj default of go %q", Inner(StjDefault(Inner(GoQuote(s)))));
        yield return ("go json of go %q", Inner(GoJson(Inner(GoQuote(s)))));
        yield return ("base64", b64);
        yield return ("base64 unpadded", b64.TrimEnd('='));
        yield return ("base64url", url);
        yield return ("base64url unpadded", url.TrimEnd('='));
    }

    private static string Inner(string quoted) => quoted[1..^1];
}
