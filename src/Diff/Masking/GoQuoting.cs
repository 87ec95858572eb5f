using System.Buffers;
using System.Globalization;
using System.Text;

namespace GitOps.Diff.Masking;

/// <summary>
/// The inside of Go's <c>strconv.Quote</c> / <c>QuoteToASCII</c> (what <c>%q</c> and <c>%+q</c> print
/// between the quotes), which is how the API server spells a string value in a validation message:
/// <c>Invalid value: "a\"b\\c"</c>. It works on UTF-8 bytes, as Go does, so a byte that is not
/// valid UTF-8 becomes <c>\x..</c> exactly where the server would write it.
/// </summary>
internal static class GoQuoting
{
    private const string LowerHex = "0123456789abcdef";

    /// <summary><paramref name="utf8"/> as <c>strconv.Quote</c> writes it, without the surrounding quotes.</summary>
    public static string Quote(ReadOnlySpan<byte> utf8, bool asciiOnly = false)
    {
        var sb = new StringBuilder(utf8.Length + 8);
        while (!utf8.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(utf8, out var rune, out var width);
            if (status != OperationStatus.Done)
            {
                // Go decodes one invalid byte at a time and writes it as \x.. (RuneError of width 1).
                AppendHex(sb, "\\x", utf8[0], 2);
                utf8 = utf8[1..];
                continue;
            }

            AppendRune(sb, rune, asciiOnly);
            utf8 = utf8[width..];
        }

        return sb.ToString();
    }

    private static void AppendRune(StringBuilder sb, Rune r, bool asciiOnly)
    {
        if (r.Value is '"' or '\\')
        {
            sb.Append('\\').Append((char)r.Value);
            return;
        }

        if (asciiOnly ? r.IsAscii && IsPrint(r) : IsPrint(r))
        {
            sb.Append(r.ToString());
            return;
        }

        var shortForm = r.Value switch
        {
            '\a' => "\\a",
            '\b' => "\\b",
            '\f' => "\\f",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\v' => "\\v",
            _ => null,
        };
        if (shortForm is not null)
        {
            sb.Append(shortForm);
        }
        else if (r.Value < ' ' || r.Value == 0x7f)
        {
            AppendHex(sb, "\\x", r.Value, 2);
        }
        else if (r.Value < 0x10000)
        {
            AppendHex(sb, "\\u", r.Value, 4);
        }
        else
        {
            AppendHex(sb, "\\U", r.Value, 8);
        }
    }

    /// <summary>Go's <c>unicode.IsPrint</c>: letters, marks, numbers, punctuation, symbols and the ASCII space.</summary>
    private static bool IsPrint(Rune r) => r.Value == ' ' || Rune.GetUnicodeCategory(r) switch
    {
        UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
            or UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
            or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned => false,
        _ => true,
    };

    private static void AppendHex(StringBuilder sb, string prefix, int value, int digits)
    {
        sb.Append(prefix);
        for (var shift = (digits - 1) * 4; shift >= 0; shift -= 4)
        {
            sb.Append(LowerHex[(value >> shift) & 0xF]);
        }
    }
}
