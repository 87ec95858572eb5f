using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Diff.Health;

/// <summary>
/// Typed, read-only access to the fields the health rules look at, plus the result factories
/// that prefix every reason with the kind.
/// </summary>
/// <remarks>
/// Absent and <c>null</c> fields read as absent, so each rule states its own default (as the
/// controllers do: <c>spec.replicas</c> defaults to 1). A field present with the wrong JSON type
/// throws <see cref="UnreadableFieldException"/>, which ends as Unknown: guessing a default for
/// a value we cannot read could call a broken object healthy.
/// </remarks>
internal sealed class StatusReader
{
    private readonly JsonObject _live;
    private IReadOnlyList<HealthCondition>? _conditions;

    public StatusReader(JsonObject live)
    {
        _live = live;
        // Lenient on purpose: identity only chooses a rule and names the object in reasons.
        Kind = StringOrEmpty(live["kind"]);
        var apiVersion = StringOrEmpty(live["apiVersion"]);
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        Group = slash < 0 ? "" : apiVersion[..slash];
    }

    public string Kind { get; }

    /// <summary>API group, "" for the core group (apiVersion "v1").</summary>
    public string Group { get; }

    /// <summary>
    /// False while no controller has written a status yet. An empty object counts as none:
    /// it carries nothing a rule could judge.
    /// </summary>
    public bool HasStatus => _live["status"] is JsonObject { Count: > 0 };

    public IReadOnlyList<HealthCondition> Conditions => _conditions ??= ReadConditions();

    public HealthCondition? Condition(string type) => Conditions.FirstOrDefault(c => c.Type == type);

    /// <summary>An integer at a dotted path; integral floats (2.0, 1e3) count, as YAML may produce them.</summary>
    public long? Integer(string path)
    {
        var node = Find(path);
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number)
        {
            var text = value.ToJsonString();
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exact))
            {
                return exact;
            }

            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real)
                && real == Math.Floor(real) && Math.Abs(real) < 9e15)
            {
                return (long)real;
            }
        }

        throw new UnreadableFieldException($"{path} is not an integer");
    }

    public long Integer(string path, long fallback) => Integer(path) ?? fallback;

    /// <summary>A boolean at a dotted path (JSON true/false only).</summary>
    public bool? Boolean(string path) => Find(path) switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.True => true,
        JsonValue v when v.GetValueKind() == JsonValueKind.False => false,
        _ => throw new UnreadableFieldException($"{path} is not a boolean"),
    };

    public string? Text(string path)
    {
        var node = Find(path);
        if (node is null)
        {
            return null;
        }

        return node is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : throw new UnreadableFieldException($"{path} is not a string");
    }

    public JsonArray? Array(string path) => Find(path) switch
    {
        null => null,
        JsonArray array => array,
        _ => throw new UnreadableFieldException($"{path} is not a list"),
    };

    public HealthResult Healthy(string sentence) => Result(HealthStatus.Healthy, sentence);

    public HealthResult Progressing(string sentence) => Result(HealthStatus.Progressing, sentence);

    public HealthResult Degraded(string sentence) => Result(HealthStatus.Degraded, sentence);

    public HealthResult Unknown(string sentence) => Result(HealthStatus.Unknown, sentence);

    /// <summary>"1 replica", "2 replicas": for the few reasons that count a single thing.</summary>
    public static string Count(long n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    private HealthResult Result(HealthStatus status, string sentence) =>
        new(status, $"{(Kind.Length > 0 ? Kind : "object")}: {sentence}");

    /// <summary>Walks a dotted path; a numeric segment indexes a list ("status.containerStatuses.0.name").</summary>
    private JsonNode? Find(string path)
    {
        JsonNode? node = _live;
        var walked = "";
        foreach (var key in path.Split('.'))
        {
            node = node switch
            {
                JsonObject parent => parent[key],
                JsonArray list when int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var index) =>
                    index < list.Count ? list[index] : null,
                _ => throw new UnreadableFieldException($"{walked} is not an object"),
            };
            if (node is null)
            {
                return null;
            }

            walked = walked.Length == 0 ? key : $"{walked}.{key}";
        }

        return node;
    }

    private List<HealthCondition> ReadConditions()
    {
        var list = new List<HealthCondition>();
        foreach (var item in Array("status.conditions") ?? [])
        {
            if (item is not JsonObject condition)
            {
                throw new UnreadableFieldException("status.conditions holds an entry that is not an object");
            }

            list.Add(new HealthCondition(
                ConditionField(condition, "type"),
                ConditionField(condition, "status"),
                ConditionField(condition, "reason"),
                ConditionField(condition, "message")));
        }

        return list;
    }

    private static string ConditionField(JsonObject condition, string key) => condition[key] switch
    {
        null => "",
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => throw new UnreadableFieldException($"status.conditions[].{key} is not a string"),
    };

    private static string StringOrEmpty(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : "";
}
