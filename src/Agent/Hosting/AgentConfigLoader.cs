using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GitOps.Agent.Git;
using GitOps.Diff.Render;

namespace GitOps.Agent.Hosting;

/// <summary>
/// Reads and validates the agent's configuration file with the same YAML reader as manifests.
/// Every problem is reported at once, at start, with the field it concerns: a bad config should
/// stop the agent before it touches the cluster, not in the middle of a pass.
/// </summary>
internal static partial class AgentConfigLoader
{
    private static readonly string[] InlineSecretKeys = ["password", "token", "username", "privateKey"];

    public static AgentConfig Load(string path)
    {
        var documents = ManifestRenderer.RenderText(path, File.ReadAllText(path));
        var obj = documents.Count > 0 ? documents[0].Object : throw new AgentConfigException($"{path}: the file is empty");
        var errors = new List<string>();
        var targets = (obj["targets"] as JsonArray ?? []).Select((t, i) => Target(t as JsonObject, i, errors)).OfType<TargetConfig>().ToList();
        if (targets.Count == 0)
        {
            errors.Add("targets: at least one target is required");
        }

        foreach (var dup in targets.GroupBy(t => t.Name).Where(g => g.Count() > 1))
        {
            errors.Add($"targets: the name '{dup.Key}' is used twice");
        }

        var config = new AgentConfig(Str(obj, "cluster") ?? "default", Str(obj, "namespace") ?? "gitops-system", targets)
        {
            Port = obj["port"] is JsonValue p && p.TryGetValue<long>(out var port) && port is > 0 and < 65536 ? (int)port : 8080,
            CacheDir = Str(obj, "cacheDir") ?? "/var/cache/gitops",
            LeaseName = Str(obj, "leaseName") ?? "gitops-agent",
        };
        return errors.Count == 0 ? config : throw new AgentConfigException($"{path}: " + string.Join("; ", errors));
    }

    private static TargetConfig? Target(JsonObject? t, int index, List<string> errors)
    {
        var at = $"targets[{index}]";
        if (t is null)
        {
            errors.Add($"{at}: must be a mapping");
            return null;
        }

        var name = Str(t, "name");
        var repository = Str(t, "repository");
        if (name is null || !DnsLabel().IsMatch(name))
        {
            errors.Add($"{at}.name: required, lower-case letters, digits and '-' (it names a ConfigMap)");
        }

        if (repository is null)
        {
            errors.Add($"{at}.repository: required");
        }

        if (t["credentials"] is JsonObject creds && InlineSecretKeys.Any(creds.ContainsKey))
        {
            errors.Add($"{at}.credentials: secrets are never inline; use usernameFile and tokenFile");
        }

        var interval = Duration(t, "interval", at, errors) ?? TimeSpan.FromMinutes(1);
        if (interval < TimeSpan.FromSeconds(5))
        {
            errors.Add($"{at}.interval: at least 5s");
        }

        return name is null || repository is null ? null : new TargetConfig(name, repository, Str(t, "branch") ?? "main", Str(t, "path") ?? ".")
        {
            Interval = interval,
            Prune = (bool?)t["prune"] ?? false,
            AllowEmpty = (bool?)t["allowEmpty"] ?? false,
            PruneProtectedKinds = (bool?)t["pruneProtectedKinds"] ?? false,
            DefaultNamespace = Str(t, "defaultNamespace") ?? "default",
            Timeout = Duration(t, "timeout", at, errors),
            Credentials = t["credentials"] is JsonObject c ? new GitCredentials(Str(c, "usernameFile"), Str(c, "tokenFile")) : null,
        };
    }

    private static TimeSpan? Duration(JsonObject t, string key, string at, List<string> errors)
    {
        try
        {
            return Str(t, key) is { } text ? GitOps.Agent.Duration.Parse(text) : null;
        }
        catch (FormatException ex)
        {
            errors.Add($"{at}.{key}: {ex.Message}");
            return null;
        }
    }

    private static string? Str(JsonObject obj, string key) => obj[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,50}[a-z0-9])?$")]
    private static partial Regex DnsLabel();
}

internal sealed class AgentConfigException(string message) : Exception(message);
