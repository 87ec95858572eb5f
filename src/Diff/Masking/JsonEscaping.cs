using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace GitOps.Diff.Masking;

/// <summary>
/// The inside of a JSON string as the writers a Secret value can pass through spell it: Go's
/// encoding/json (the API server's bodies, with and without HTML escaping, before and after Go 1.22
/// wrote <c>\b</c>/<c>\f</c>), an ASCII-only writer in either hex case (<c>\u00e9</c>, <c>\u00E9</c>),
/// and System.Text.Json's default and relaxed encoders (our own JSON output).
/// </summary>
internal static class JsonEscaping
{
    [Flags]
    public enum Style
    {
        None = 0,
        EscapeHtml = 1,
        AsciiOnly = 2,
        UpperHex = 4,
        LegacyControls = 8,
    }

    /// <summary>The hand-written styles: Go's encoding/json in its three spellings, and ASCII-only JSON in both hex cases.</summary>
    public static readonly Style[] Styles =
    [
        Style.EscapeHtml,
        Style.None,
        Style.EscapeHtml | Style.LegacyControls,
        Style.AsciiOnly,
        Style.AsciiOnly | Style.UpperHex,
    ];

    public static readonly JavaScriptEncoder[] Encoders = [JavaScriptEncoder.Default, JavaScriptEncoder.UnsafeRelaxedJsonEscaping];

    /// <summary><paramref name="utf8"/> escaped in <paramref name="style"/>, without the quotes; invalid UTF-8 becomes <c>\ufffd</c> as in Go.</summary>
    public static string Escape(ReadOnlySpan<byte> utf8, Style style)
    {
        var sb = new StringBuilder(utf8.Length + 8);
        while (!utf8.IsEmpty)
        {
            var valid = Rune.DecodeFromUtf8(utf8, out var rune, out var width) == OperationStatus.Done;
            Append(sb, valid ? rune : Rune.ReplacementChar, style, forceEscape: !valid);
            utf8 = utf8[Math.Max(width, 1)..];
        }

        return sb.ToString();
    }

    /// <summary>What System.Text.Json writes for <paramref name="text"/> with <paramref name="encoder"/>, without the quotes.</summary>
    public static string Escape(string text, JavaScriptEncoder encoder)
    {
        try
        {
            return JsonEncodedText.Encode(text, encoder).ToString();
        }
        catch (ArgumentException)
        {
            return text; // invalid UTF-16 (a lone surrogate) cannot be written by System.Text.Json at all
        }
    }

    private static void Append(StringBuilder sb, Rune r, Style style, bool forceEscape)
    {
        var v = r.Value;
        var shortForm = v switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\b' when !style.HasFlag(Style.LegacyControls) => "\\b",
            '\f' when !style.HasFlag(Style.LegacyControls) => "\\f",
            _ => null,
        };
        if (shortForm is not null)
        {
            sb.Append(shortForm);
            return;
        }

        var escape = forceEscape
            || v < ' '
            || (style.HasFlag(Style.EscapeHtml) && v is '<' or '>' or '&')
            || v is 0x2028 or 0x2029
            || (style.HasFlag(Style.AsciiOnly) && v > 0x7f);
        if (!escape)
        {
            sb.Append(r.ToString());
            return;
        }

        Span<char> units = stackalloc char[2];
        var n = r.EncodeToUtf16(units);
        var format = style.HasFlag(Style.UpperHex) ? "X4" : "x4";
        for (var i = 0; i < n; i++)
        {
            sb.Append("\\u").Append(((int)units[i]).ToString(format, System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
