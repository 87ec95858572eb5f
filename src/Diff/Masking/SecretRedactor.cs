using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;

namespace GitOps.Diff.Masking;

/// <summary>
/// A last line of defence for text the engine does not build itself (server error messages,
/// exception text): every Secret value of the revision, in every spelling
/// <see cref="SecretSpellings"/> knows (clear, base64, Go-quoted, JSON-escaped, line by line), is
/// replaced by <c>***</c>. Values shorter than four characters are left alone; hiding every "1" or
/// "no" in a message would make it unreadable and protects nothing.
/// </summary>
/// <remarks>
/// The spellings are built once per revision. <see cref="Redact"/> makes one pass with a combined
/// multi-string search and hides the union of every occurrence, so overlapping spellings of two
/// values never leave a piece of either visible.
/// </remarks>
public sealed class SecretRedactor
{
    private const string Mask = "***";
    private const int MinLength = SecretSpellings.MinLength;

    private readonly SearchValues<string>? search;

    /// <summary>Spellings by their first <see cref="MinLength"/> characters, longest first.</summary>
    private readonly Dictionary<string, string[]>.AlternateLookup<ReadOnlySpan<char>> byPrefix;

    private SecretRedactor(IReadOnlyCollection<string> spellings)
    {
        var groups = spellings
            .GroupBy(s => s[..MinLength], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(s => s.Length).ToArray(), StringComparer.Ordinal);
        byPrefix = groups.GetAlternateLookup<ReadOnlySpan<char>>();
        search = spellings.Count == 0 ? null : SearchValues.Create(spellings.ToArray(), StringComparison.Ordinal);
    }

    public static SecretRedactor None { get; } = new([]);

    /// <summary>A redactor for the Secret values (data and stringData) among <paramref name="objects"/>.</summary>
    public static SecretRedactor For(IEnumerable<JsonObject> objects)
    {
        var spellings = new HashSet<string>(StringComparer.Ordinal);
        foreach (var obj in objects.Where(SecretMasker.IsSecret))
        {
            foreach (var written in Values(obj["data"]))
            {
                // data is base64; a value that is not (the server will refuse it) is hidden as written.
                spellings.UnionWith(TryBase64(written) is { } bytes
                    ? SecretSpellings.Of(bytes, written)
                    : SecretSpellings.Of(Encoding.UTF8.GetBytes(written)));
            }

            foreach (var clear in Values(obj["stringData"]))
            {
                spellings.UnionWith(SecretSpellings.Of(Encoding.UTF8.GetBytes(clear)));
            }
        }

        return new SecretRedactor(spellings);
    }

    public string Redact(string text)
    {
        if (search is null || text.Length < MinLength)
        {
            return text;
        }

        var span = text.AsSpan();
        var result = new StringBuilder(text.Length);
        var (start, end, copied) = (-1, -1, 0);
        for (var pos = 0; pos <= span.Length - MinLength;)
        {
            var found = span[pos..].IndexOfAny(search);
            if (found < 0)
            {
                break;
            }

            var at = pos + found;
            var matchEnd = at + LongestAt(span, at);
            if (at > end)
            {
                Flush(result, span, ref copied, start, end);
                start = at;
            }

            end = Math.Max(end, matchEnd);
            pos = at + 1; // a spelling that starts inside this one may reach further
        }

        if (start < 0)
        {
            return text;
        }

        Flush(result, span, ref copied, start, end);
        return result.Append(span[copied..]).ToString();
    }

    private static void Flush(StringBuilder result, ReadOnlySpan<char> text, ref int copied, int start, int end)
    {
        if (start < 0)
        {
            return;
        }

        result.Append(text[copied..start]).Append(Mask);
        copied = end;
    }

    private int LongestAt(ReadOnlySpan<char> text, int at)
    {
        foreach (var spelling in byPrefix[text.Slice(at, MinLength)])
        {
            if (text[at..].StartsWith(spelling, StringComparison.Ordinal))
            {
                return spelling.Length;
            }
        }

        throw new InvalidOperationException("the combined search found a spelling the prefix table does not hold");
    }

    private static IEnumerable<string> Values(JsonNode? node) =>
        node is JsonObject o
            ? o.Select(p => p.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>()
            : [];

    private static byte[]? TryBase64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var n) ? buffer[..n] : null;
    }
}
