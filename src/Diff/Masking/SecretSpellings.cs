using System.Text;

namespace GitOps.Diff.Masking;

/// <summary>
/// Every way one Secret value can appear in text the engine did not write: in clear, as the
/// manifest wrote it, in base64 (both alphabets, padded or not), each line of a multi-line value,
/// and each of those escaped once or twice — Go-quoted by the API server (<c>Invalid value: "…"</c>),
/// JSON-escaped by any writer, or JSON-escaped around a Go-quoted message and the other way round.
/// </summary>
internal static class SecretSpellings
{
    /// <summary>Shorter values are left alone: hiding every "1" or "no" makes messages unreadable and protects nothing.</summary>
    public const int MinLength = 4;

    /// <summary>The spellings of <paramref name="value"/> (its bytes) of at least <see cref="MinLength"/> characters; none when the value is shorter.</summary>
    public static IEnumerable<string> Of(byte[] value, string? asWritten = null)
    {
        var clear = Encoding.UTF8.GetString(value);
        if (clear.Length < MinLength)
        {
            return [];
        }

        var spellings = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (text, bytes) in Forms(clear, value, asWritten))
        {
            if (IsPlain(text))
            {
                spellings.Add(text); // no escaper changes it, so skip building the same string thirty times
                continue;
            }

            foreach (var once in EscapedOnce(text, bytes).Distinct(StringComparer.Ordinal))
            {
                spellings.Add(once);
                if (once != text)
                {
                    spellings.UnionWith(EscapedTwice(once)); // escaping the text twice over is EscapedOnce again
                }
            }
        }

        spellings.RemoveWhere(s => s.Length < MinLength);
        return spellings;
    }

    private static IEnumerable<(string Text, byte[] Bytes)> Forms(string clear, byte[] value, string? asWritten)
    {
        yield return (clear, value);
        if (asWritten is not null && asWritten != clear)
        {
            yield return (asWritten, Encoding.UTF8.GetBytes(asWritten));
        }

        var std = Convert.ToBase64String(value);
        var url = std.Replace('+', '-').Replace('/', '_');
        foreach (var b64 in new[] { std, std.TrimEnd('='), url, url.TrimEnd('=') }.Distinct(StringComparer.Ordinal))
        {
            yield return (b64, Encoding.ASCII.GetBytes(b64));
        }

        // A message may quote one line of a PEM block or a config file, or each line on its own.
        if (clear.AsSpan().IndexOfAny('\n', '\r') < 0)
        {
            yield break;
        }

        foreach (var line in clear.Split('\n'))
        {
            foreach (var part in new[] { line, line.TrimEnd('\r'), line.Trim() }.Distinct(StringComparer.Ordinal))
            {
                if (part.Length >= MinLength)
                {
                    yield return (part, Encoding.UTF8.GetBytes(part));
                }
            }
        }
    }

    private static IEnumerable<string> EscapedOnce(string text, byte[] bytes)
    {
        yield return text;
        yield return GoQuoting.Quote(bytes);
        yield return GoQuoting.Quote(bytes, asciiOnly: true);
        foreach (var style in JsonEscaping.Styles)
        {
            yield return JsonEscaping.Escape(bytes, style);
        }

        foreach (var encoder in JsonEscaping.Encoders)
        {
            yield return JsonEscaping.Escape(text, encoder);
        }
    }

    /// <summary>A second layer: a Go-quoted message inside JSON, or JSON inside a Go-quoted message.</summary>
    private static IEnumerable<string> EscapedTwice(string once)
    {
        if (IsPlain(once))
        {
            yield break;
        }

        var bytes = Encoding.UTF8.GetBytes(once);
        yield return GoQuoting.Quote(bytes);
        yield return JsonEscaping.Escape(bytes, JsonEscaping.Style.EscapeHtml);
        foreach (var encoder in JsonEscaping.Encoders)
        {
            yield return JsonEscaping.Escape(once, encoder);
        }
    }

    /// <summary>Characters no escaper here touches (System.Text.Json's default escapes <c>+</c>, quotes, <c>&lt;&gt;&amp;</c> and backtick).</summary>
    private static bool IsPlain(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.' or '=' or '/' or ':' or '@' or ' ' or ',' or ';' or '*' or '#' or '%' or '$' or '!' or '?' or '(' or ')' or '[' or ']' or '{' or '}' or '~' or '^' or '|'))
            {
                return false;
            }
        }

        return true;
    }
}
