using System.Text.Json.Nodes;

namespace GitOps.Agent;

/// <summary>
/// One mapping of a configuration file being bound. Each getter checks the value's type and, when
/// it is wrong, records an error naming the field's path instead of throwing, so that every
/// problem of a file is reported at once; <see cref="Finish"/> then reports every key no getter
/// asked for, because a misspelt key silently ignored is a setting silently lost.
/// Errors never quote a value: a token pasted into the wrong field must not reach a log.
/// A key whose value is null (<c>key:</c> or <c>key: ~</c>) counts as absent, as in Kubernetes.
/// </summary>
internal sealed class ConfigNode
{
    private readonly JsonObject obj;
    private readonly List<string> errors;
    private readonly HashSet<string> known = new(StringComparer.Ordinal);

    private ConfigNode(JsonObject obj, string path, List<string> errors)
    {
        this.obj = obj;
        this.errors = errors;
        Path = path;
    }

    /// <summary>Where this mapping is: <c>""</c> for the top level, <c>targets[1]</c>, <c>targets[1].backoff</c>.</summary>
    public string Path { get; }

    /// <summary>The mapping <paramref name="node"/>, or null (and an error) when it is something else.</summary>
    public static ConfigNode? Of(JsonNode? node, string path, List<string> errors)
    {
        if (node is JsonObject o)
        {
            return new ConfigNode(o, path, errors);
        }

        errors.Add($"{(path.Length == 0 ? "the document" : path)}: must be a mapping");
        return null;
    }

    /// <summary>One message for a whole file: every error on its own line.</summary>
    public static string Describe(string file, IReadOnlyList<string> errors) =>
        errors.Count == 1 ? $"{file}: {errors[0]}" : $"{file}: {errors.Count} problems:{string.Concat(errors.Select(e => $"{Environment.NewLine}  {e}"))}";

    public string At(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public void Error(string key, string message) => errors.Add($"{At(key)}: {message}");

    /// <summary>Whether the key is set; either way it becomes a known key of this mapping.</summary>
    public bool Has(string key)
    {
        known.Add(key);
        return obj[key] is not null;
    }

    /// <summary>The raw value, for readers of a nested shape (null when absent).</summary>
    public JsonNode? Node(string key) => Has(key) ? obj[key] : null;

    public string? String(string key) => TryRead<string>(key, "must be a string", out var s) ? s : null;

    /// <summary>A string that must be there; absent is an error.</summary>
    public string? Required(string key)
    {
        if (!Has(key))
        {
            Error(key, "required");
        }

        return String(key);
    }

    /// <summary>Only <c>true</c>/<c>false</c> (or YAML 1.1's yes/no/on/off, which the reader turns into booleans), never a string.</summary>
    public bool? Bool(string key) => TryRead<bool>(key, "must be true or false", out var b) ? b : null;

    public long? Integer(string key, string expected) => TryRead<long>(key, expected, out var n) ? n : null;

    public TimeSpan? Duration(string key)
    {
        if (!TryRead<string>(key, "must be a duration such as 30s, 5m or 1h30m", out var text))
        {
            return null;
        }

        try
        {
            return Agent.Duration.Parse(text);
        }
        catch (FormatException ex)
        {
            Error(key, ex.Message);
            return null;
        }
    }

    /// <summary>A duration that must be at least <paramref name="min"/> (or more than zero when <paramref name="min"/> is zero).</summary>
    public TimeSpan? Duration(string key, TimeSpan min)
    {
        var value = Duration(key);
        if (value is { } v && (v < min || v <= TimeSpan.Zero))
        {
            Error(key, min > TimeSpan.Zero ? $"must be at least {min.TotalSeconds}s" : "must be more than 0");
            return null;
        }

        return value;
    }

    public ConfigNode? Mapping(string key) => Has(key) ? Of(obj[key], At(key), errors) : null;

    /// <summary>The items of a list with their paths (<c>targets[0]</c>); empty when absent, an error when not a list.</summary>
    public IReadOnlyList<(JsonNode? Item, string Path)> List(string key)
    {
        if (!Has(key))
        {
            return [];
        }

        if (obj[key] is not JsonArray array)
        {
            Error(key, "must be a list");
            return [];
        }

        return array.Select((item, i) => (item, $"{At(key)}[{i}]")).ToList();
    }

    /// <summary>The mappings of a list (<c>repositories[0]</c>…); each item that is not a mapping is an error.</summary>
    public IReadOnlyList<ConfigNode> Mappings(string key) =>
        List(key).Select(i => Of(i.Item, i.Path, errors)).OfType<ConfigNode>().ToList();

    /// <summary>A list of strings (null when absent); each item of another type is an error.</summary>
    public IReadOnlyList<string>? Strings(string key)
    {
        if (!Has(key))
        {
            return null;
        }

        var strings = new List<string>();
        foreach (var (item, at) in List(key))
        {
            if (item is JsonValue v && v.TryGetValue<string>(out var s))
            {
                strings.Add(s);
            }
            else
            {
                errors.Add($"{at}: must be a string");
            }
        }

        return strings;
    }

    /// <summary>Keys the design names for a later release: an error that says so, not a silent no-op.</summary>
    public void NotSupportedYet(params string[] keys)
    {
        foreach (var key in keys.Where(Has))
        {
            Error(key, "not supported yet");
        }
    }

    /// <summary>Keys that must never be set, with the reason; they are known (no "unknown key" as well).</summary>
    public void Refuse(IEnumerable<string> keys, string reason)
    {
        foreach (var key in keys.Where(Has))
        {
            Error(key, reason);
        }
    }

    /// <summary>Reports every key of the mapping that no getter asked for, with the nearest known key.</summary>
    public void Finish()
    {
        foreach (var (key, _) in obj.Where(p => !known.Contains(p.Key)))
        {
            var near = known.Where(k => Distance(k, key) <= 2 || string.Equals(k, key, StringComparison.OrdinalIgnoreCase))
                .OrderBy(k => Distance(k, key)).ThenBy(k => k, StringComparer.Ordinal).FirstOrDefault();
            Error(key, near is null ? "unknown key" : $"unknown key (did you mean {near}?)");
        }
    }

    private bool TryRead<T>(string key, string expected, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out T value)
    {
        value = default!;
        if (!Has(key))
        {
            return false;
        }

        if (obj[key] is JsonValue v && v.TryGetValue(out value!))
        {
            return true;
        }

        Error(key, expected);
        return false;
    }

    /// <summary>Levenshtein distance, case-insensitive: <c>intervall</c> is 1 from <c>interval</c>.</summary>
    private static int Distance(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }

        return row[b.Length];
    }
}
