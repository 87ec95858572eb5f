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
/// The spellings are built once per revision and indexed by their first four characters, so
/// <see cref="Redact"/> is one pass over the text with a table look-up per position, whatever the
/// number of values (5,000 values, 40,000 spellings: about 5 ms a message with one Replace each, 30 µs this way).
/// It hides the union of every occurrence, so overlapping spellings of two values never leave a
/// piece of either visible.
/// </remarks>
public sealed class SecretRedactor
{
    private const string Mask = "***";
    private const int MinLength = SecretSpellings.MinLength;

    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> spellings;

    /// <summary>
    /// The lengths, longest first, of the spellings that start with each <see cref="MinLength"/>
    /// characters: values with a common prefix (every JWT starts <c>eyJ</c>) cost one set look-up per
    /// length, not a comparison per value.
    /// </summary>
    private readonly Dictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> lengthsByPrefix;

    private SecretRedactor(HashSet<string> spellings)
    {
        this.spellings = spellings.GetAlternateLookup<ReadOnlySpan<char>>();
        lengthsByPrefix = spellings
            .GroupBy(s => s[..MinLength], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(s => s.Length).Distinct().OrderDescending().ToArray(), StringComparer.Ordinal)
            .GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public static SecretRedactor None { get; } = new(new HashSet<string>(StringComparer.Ordinal));

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
        if (lengthsByPrefix.Dictionary.Count == 0 || text.Length < MinLength)
        {
            return text;
        }

        var span = text.AsSpan();
        var result = new StringBuilder(0); // grows only when something is hidden
        var (start, end, copied) = (-1, -1, 0);
        for (var at = 0; at <= span.Length - MinLength; at++)
        {
            // Every spelling is at least MinLength long, so its first MinLength characters find it.
            var length = lengthsByPrefix.TryGetValue(span.Slice(at, MinLength), out var lengths) ? LongestAt(span, at, lengths) : 0;
            if (length == 0)
            {
                continue;
            }

            if (at > end)
            {
                Flush(result, span, ref copied, start, end);
                start = at;
            }

            end = Math.Max(end, at + length); // a spelling starting inside this one may reach further
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

    private int LongestAt(ReadOnlySpan<char> text, int at, int[] lengths)
    {
        foreach (var length in lengths)
        {
            if (at + length <= text.Length && spellings.Contains(text.Slice(at, length)))
            {
                return length;
            }
        }

        return 0;
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
