using GitOps.Diff.Health;

namespace GitOps.Agent.Hosting;

/// <summary>
/// The config's <c>health:</c> list: per-kind rules that replace the built-in health rule of a
/// kind, each a JMESPath expression over the live object (see <see cref="HealthRule"/>):
/// <code>
/// health:
/// - apiVersion: networking.k8s.io/v1   # the group counts; the version does not
///   kind: Ingress
///   healthy: spec.rules                # e.g. Traefik, which never writes an address
///   degraded: "status.conditions[?type=='Failed'].status | [0] == 'True'"
/// </code>
/// Every expression is parsed at start; a bad one is an error naming its entry.
/// </summary>
internal static class HealthRulesConfig
{
    public static HealthRuleSet Read(ConfigNode top, List<string> errors)
    {
        var rules = new List<HealthRule>();
        foreach (var (item, path) in top.List("health"))
        {
            var node = ConfigNode.Of(item, path, errors);
            if (node is null)
            {
                continue;
            }

            var apiVersion = node.Required("apiVersion");
            var kind = node.Required("kind");
            var rule = new HealthRule(apiVersion?.Contains('/', StringComparison.Ordinal) == true ? apiVersion[..apiVersion.LastIndexOf('/')] : "",
                kind ?? "", node.String("healthy"), node.String("degraded"));
            node.Finish();
            if (apiVersion is null || kind is null)
            {
                continue;
            }

            try
            {
                HealthRuleSet.Compile([rule]);
                rules.Add(rule);
            }
            catch (ArgumentException e)
            {
                errors.Add($"{path}: {e.Message}");
            }
        }

        try
        {
            return rules.Count == 0 ? HealthRuleSet.Empty : HealthRuleSet.Compile(rules);
        }
        catch (ArgumentException e)
        {
            errors.Add($"health: {e.Message}");
            return HealthRuleSet.Empty;
        }
    }
}
