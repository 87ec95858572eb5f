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
    /// <summary>
    /// A file of rules for <c>gitops sync --health-rules</c>: the config's section as it stands
    /// (<c>health: [...]</c>, so a snippet copied from the agent config works), or the bare list.
    /// Read by the same reader as the agent config, so a rule means the same in both.
    /// </summary>
    /// <exception cref="FormatException">Unreadable, not YAML, or a rule is invalid (every problem named, with its path).</exception>
    public static HealthRuleSet Load(string path)
    {
        IReadOnlyList<(System.Text.Json.Nodes.JsonNode Root, GitOps.Diff.Render.SourceLocation Start)> documents;
        try
        {
            documents = GitOps.Diff.Render.ManifestRenderer.ReadDocuments(path, File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FormatException($"{path}: cannot read the file: {ex.Message}", ex);
        }
        catch (GitOps.Diff.Render.ManifestException ex)
        {
            throw new FormatException(ex.Message, ex);
        }

        if (documents.Count != 1)
        {
            throw new FormatException(documents.Count == 0 ? $"{path}: the file is empty; it must hold health: [rules]" : $"{documents[1].Start}: a second document; the file must hold one list of rules");
        }

        var errors = new List<string>();
        var root = documents[0].Root is System.Text.Json.Nodes.JsonArray list ? new System.Text.Json.Nodes.JsonObject { ["health"] = list.DeepClone() } : documents[0].Root;
        var top = ConfigNode.Of(root, "", errors);
        var rules = top is null ? HealthRuleSet.Empty : Read(top, errors);
        top?.Finish();
        return errors.Count == 0 ? rules : throw new FormatException(ConfigNode.Describe(path, errors));
    }

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
