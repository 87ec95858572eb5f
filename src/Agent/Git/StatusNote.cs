using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace GitOps.Agent.Git;

/// <summary>
/// The text of a status note: one block per (cluster, target), blocks separated by a blank line,
/// each block a line for people followed by an indented line of JSON for programs:
/// <code>
/// prod/django: Synced Healthy 2026-11-26T14:00:00Z created=3 configured=2 unchanged=10 pruned=1
///   {"v":1,"cluster":"prod","target":"django","phase":"Synced","health":"Healthy","time":"2026-11-26T14:00:00.0000000Z","counts":{"created":3,"configured":2,"unchanged":10,"pruned":1},"message":null,"agentVersion":"0.1.0"}
///
/// staging/django: Failed Degraded 2026-11-26T14:02:10Z created=1 failed=1 - Deployment/web: timed out
///   {"v":1,"cluster":"staging",…}
/// </code>
/// The human line is one line (the message's first line, shortened); readers use only the JSON,
/// which carries the whole message. Blocks are ordered by cluster then target, so agents that write
/// the same entries produce the same note. A block without readable JSON (written by hand, or by a
/// newer format) is kept verbatim after ours.
/// </summary>
internal static class StatusNote
{
    private const int FormatVersion = 1;
    private const int MaxHumanMessageLength = 160;
    private const string JsonIndent = "  ";

    // Actions in the order a reader expects them; other counts follow by name.
    private static readonly string[] KnownCounts = ["created", "configured", "unchanged", "pruned", "prune-skipped", "failed"];

    /// <summary>Refuses names that would break the block layout (empty, or holding white space).</summary>
    public static void Validate(CommitStatusEntry entry)
    {
        foreach (var (field, value) in new[] { ("Cluster", entry.Cluster), ("Target", entry.Target), ("Phase", entry.Phase), ("Health", entry.Health) })
        {
            if (string.IsNullOrEmpty(value) || value.Any(char.IsWhiteSpace))
            {
                throw new ArgumentException($"status entry {field} '{value}' must be a non-empty word without white space", nameof(entry));
            }
        }
    }

    public static IReadOnlyList<CommitStatusEntry> Parse(string? note) =>
        Blocks(note).Select(b => b.Entry).OfType<CommitStatusEntry>().ToList();

    /// <summary>The note with <paramref name="entry"/> in place of the block of the same (cluster, target).</summary>
    public static string Upsert(string? note, CommitStatusEntry entry)
    {
        var blocks = Blocks(note).ToList();
        var entries = blocks.Select(b => b.Entry).OfType<CommitStatusEntry>()
            .Where(e => !SameKey(e, entry))
            .Append(entry)
            .OrderBy(e => e.Cluster, StringComparer.Ordinal)
            .ThenBy(e => e.Target, StringComparer.Ordinal);
        var foreign = blocks.Where(b => b.Entry is null).Select(b => b.Text);
        return string.Join("\n\n", entries.Select(Format).Concat(foreign)) + "\n";
    }

    public static string Format(CommitStatusEntry entry) => HumanLine(entry) + "\n" + JsonIndent + Json(entry);

    public static string HumanLine(CommitStatusEntry entry)
    {
        var line = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{entry.Cluster}/{entry.Target}: {entry.Phase} {entry.Health} ")
            .Append(entry.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        foreach (var (action, count) in OrderedCounts(entry.Counts))
        {
            line.Append(CultureInfo.InvariantCulture, $" {action}={count}");
        }

        if (!string.IsNullOrWhiteSpace(entry.Message))
        {
            var first = entry.Message.Trim().Split('\n')[0].Trim();
            line.Append(" - ").Append(first.Length > MaxHumanMessageLength ? first[..MaxHumanMessageLength] + "..." : first);
        }

        return OneLine(line.ToString());
    }

    private static string Json(CommitStatusEntry entry)
    {
        using var buffer = new MemoryStream();
        // Relaxed escaping keeps '+', quotes in messages and non-ASCII names readable in `git notes show`;
        // the note is plain text, never embedded in HTML.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteNumber("v", FormatVersion);
            json.WriteString("cluster", entry.Cluster);
            json.WriteString("target", entry.Target);
            json.WriteString("phase", entry.Phase);
            json.WriteString("health", entry.Health);
            json.WriteString("time", entry.Time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            json.WriteStartObject("counts");
            foreach (var (action, count) in OrderedCounts(entry.Counts))
            {
                json.WriteNumber(action, count);
            }

            json.WriteEndObject();
            json.WriteString("message", entry.Message);
            json.WriteString("agentVersion", entry.AgentVersion);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static IEnumerable<(string Text, CommitStatusEntry? Entry)> Blocks(string? note)
    {
        if (string.IsNullOrWhiteSpace(note))
        {
            yield break;
        }

        var current = new List<string>();
        foreach (var raw in note.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Append(string.Empty))
        {
            if (raw.Trim().Length > 0)
            {
                current.Add(raw.TrimEnd());
                continue;
            }

            if (current.Count > 0)
            {
                var text = string.Join('\n', current);
                yield return (text, TryReadEntry(current));
                current.Clear();
            }
        }
    }

    private static CommitStatusEntry? TryReadEntry(List<string> lines)
    {
        var json = string.Concat(lines.Skip(1).Select(l => l.Trim()));
        if (lines.Count < 2 || !char.IsWhiteSpace(lines[1][0]) || !json.StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var counts = root.TryGetProperty("counts", out var c) && c.ValueKind == JsonValueKind.Object
                ? c.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32(), StringComparer.Ordinal)
                : new Dictionary<string, int>(StringComparer.Ordinal);
            return new CommitStatusEntry(
                Required(root, "cluster"),
                Required(root, "target"),
                Required(root, "phase"),
                Required(root, "health"),
                root.GetProperty("time").GetDateTimeOffset(),
                counts,
                root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null,
                root.TryGetProperty("agentVersion", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : string.Empty);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private static string Required(JsonElement root, string name) =>
        root.GetProperty(name).GetString() is { Length: > 0 } value ? value : throw new FormatException($"{name} is empty");

    private static IEnumerable<(string Action, int Count)> OrderedCounts(IReadOnlyDictionary<string, int> counts) =>
        counts.OrderBy(c => Array.IndexOf(KnownCounts, c.Key) is var i && i >= 0 ? i : KnownCounts.Length)
            .ThenBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => (c.Key, c.Value));

    private static bool SameKey(CommitStatusEntry a, CommitStatusEntry b) =>
        string.Equals(a.Cluster, b.Cluster, StringComparison.Ordinal) && string.Equals(a.Target, b.Target, StringComparison.Ordinal);

    private static string OneLine(string text) =>
        string.Create(text.Length, text, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? ' ' : source[i];
            }
        });
}
