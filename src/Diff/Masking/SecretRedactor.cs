using System.Text;
using System.Text.Json.Nodes;

namespace GitOps.Diff.Masking;

/// <summary>
/// A last line of defence for text the engine does not build itself (server error messages,
/// exception text): every Secret value of the revision, in clear and base64, is replaced by
/// <c>***</c>. Values shorter than four characters are left alone; hiding every "1" or "no"
/// in a message would make it unreadable and protects nothing.
/// </summary>
public sealed class SecretRedactor
{
    private const int MinLength = 4;
    private readonly string[] values;

    private SecretRedactor(IEnumerable<string> values) =>
        this.values = values.Where(v => v.Length >= MinLength).Distinct(StringComparer.Ordinal).OrderByDescending(v => v.Length).ToArray();

    public static SecretRedactor None { get; } = new([]);

    /// <summary>A redactor for the Secret values among <paramref name="objects"/>.</summary>
    public static SecretRedactor For(IEnumerable<JsonObject> objects)
    {
        var found = new List<string>();
        foreach (var obj in objects.Where(SecretMasker.IsSecret))
        {
            foreach (var (_, node) in Values(obj["data"]))
            {
                found.Add(node);
                if (TryBase64(node) is { } clear)
                {
                    found.Add(clear);
                }
            }

            foreach (var (_, node) in Values(obj["stringData"]))
            {
                found.Add(node);
                found.Add(Convert.ToBase64String(Encoding.UTF8.GetBytes(node)));
            }
        }

        return new SecretRedactor(found);
    }

    public string Redact(string text)
    {
        foreach (var value in values)
        {
            text = text.Replace(value, "***", StringComparison.Ordinal);
        }

        return text;
    }

    private static IEnumerable<(string Key, string Value)> Values(JsonNode? node) =>
        node is JsonObject o
            ? o.Where(p => p.Value is JsonValue v && v.TryGetValue<string>(out _)).Select(p => (p.Key, p.Value!.GetValue<string>()))
            : [];

    private static string? TryBase64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var n) ? Encoding.UTF8.GetString(buffer, 0, n) : null;
    }
}
