using System.Text.Json.Nodes;
using DevLab.JmesPath;
using DevLab.JmesPath.Expressions;
using Newtonsoft.Json.Linq;

namespace GitOps.Diff.Health;

/// <summary>
/// A per-kind health rule of the agent config: two JMESPath expressions (jmespath.org) over the
/// live object. <paramref name="Degraded"/> is tried first; then <paramref name="Healthy"/>; a
/// kind with a rule is Progressing while neither holds. "Holds" is JMESPath truthiness: anything
/// but false, null, "" and empty lists or objects. A rule replaces the built-in rule of its kind;
/// the checks every kind gets first (terminating, a generation not yet observed) still apply.
/// </summary>
/// <param name="Group">The API group ("" for core), as in apiVersion without the version.</param>
public sealed record HealthRule(string Group, string Kind, string? Healthy, string? Degraded);

/// <summary>Health rules compiled once (at start, so a typo fails there), keyed by group and kind.</summary>
public sealed class HealthRuleSet
{
    private readonly Dictionary<(string Group, string Kind), Compiled> rules;

    private HealthRuleSet(Dictionary<(string, string), Compiled> rules) => this.rules = rules;

    public static HealthRuleSet Empty { get; } = new([]);

    public int Count => rules.Count;

    /// <exception cref="ArgumentException">A rule without expressions, a kind given twice, or an expression that does not parse (named with its kind).</exception>
    public static HealthRuleSet Compile(IEnumerable<HealthRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var parser = new JmesPath();
        var compiled = new Dictionary<(string, string), Compiled>();
        foreach (var rule in rules)
        {
            var name = rule.Group.Length == 0 ? rule.Kind : $"{rule.Kind}.{rule.Group}";
            if (rule.Healthy is null && rule.Degraded is null)
            {
                throw new ArgumentException($"health rule for {name}: give healthy, degraded or both");
            }

            if (!compiled.TryAdd((rule.Group, rule.Kind), new Compiled(Parse(parser, name, "healthy", rule.Healthy), rule.Healthy,
                    Parse(parser, name, "degraded", rule.Degraded), rule.Degraded)))
            {
                throw new ArgumentException($"health rule for {name}: given twice");
            }
        }

        return new HealthRuleSet(compiled);
    }

    /// <summary>The rule's verdict, or null when no rule names this object's kind.</summary>
    internal HealthResult? Assess(StatusReader obj, JsonObject live)
    {
        if (!rules.TryGetValue((obj.Group, obj.Kind), out var rule))
        {
            return null;
        }

        var token = JToken.Parse(live.ToJsonString());
        if (rule.Degraded is not null && Holds(rule.Degraded, token))
        {
            return obj.Degraded($"degraded by the configured rule: {rule.DegradedText}");
        }

        return rule.Healthy is not null && Holds(rule.Healthy, token)
            ? obj.Healthy($"healthy by the configured rule: {rule.HealthyText}")
            : obj.Progressing(rule.Healthy is null ? "not degraded by the configured rule; waiting for nothing else" : $"waiting for the configured rule: {rule.HealthyText}");
    }

    private static JmesPathExpression? Parse(JmesPath parser, string name, string field, string? text)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            return parser.Parse(text);
        }
        catch (Exception e)
        {
            // The parser reports syntax errors as a plain Exception ("Error(1, 8): syntax, near ...").
            throw new ArgumentException($"health rule for {name}: {field} is not a JMESPath expression: {e.Message}", e);
        }
    }

    private static bool Holds(JmesPathExpression expression, JToken live)
    {
        JToken? token;
        try
        {
            token = expression.Transform(live).Token;
        }
        catch (Exception e)
        {
            // A function given the wrong type at run time (length(42)): the object cannot be judged.
            throw new UnreadableFieldException($"the configured rule failed: {e.Message}", e);
        }

        return token switch
        {
            null => false,
            { Type: JTokenType.Null or JTokenType.Undefined } => false,
            { Type: JTokenType.Boolean } => token.Value<bool>(),
            { Type: JTokenType.String } => token.Value<string>()!.Length > 0,
            JArray array => array.Count > 0,
            JObject o => o.Count > 0,
            _ => true,
        };
    }

    private sealed record Compiled(JmesPathExpression? Healthy, string? HealthyText, JmesPathExpression? Degraded, string? DegradedText);
}
