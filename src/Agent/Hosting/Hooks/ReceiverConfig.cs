using System.Text.RegularExpressions;

namespace GitOps.Agent.Hosting.Hooks;

/// <summary>How a forge signs its webhook deliveries, and how its push payload names the repository.</summary>
internal enum ReceiverType
{
    /// <summary><c>X-Hub-Signature-256: sha256=&lt;hex&gt;</c>, HMAC-SHA256 of the raw body.</summary>
    GitHub,

    /// <summary><c>X-Gitlab-Token</c> equal to the secret (GitLab does not sign the body).</summary>
    GitLab,

    /// <summary>Gitea and Forgejo: <c>X-Gitea-Signature</c> (or <c>X-Forgejo-Signature</c>), hex HMAC-SHA256 of the body.</summary>
    Gitea,

    /// <summary><c>X-Signature: sha256=&lt;hex&gt;</c> over <c>{"repository": URL, "ref": "refs/heads/B"}</c>: for a git server's own hook.</summary>
    GenericHmac,
}

/// <summary>
/// One webhook receiver, <c>POST /hooks/&lt;name&gt;</c>:
/// <code>
/// receivers:
/// - name: github
///   type: github              # github | gitlab | gitea | generic-hmac
///   secretFile: /etc/gitops/hooks/github-secret
/// </code>
/// The secret is a file path only, read on every delivery, so a rotated Secret takes effect without a restart.
/// </summary>
internal sealed partial record ReceiverConfig(string Name, ReceiverType Type, string SecretFile)
{
    private static readonly Dictionary<string, ReceiverType> Types = new(StringComparer.Ordinal)
    {
        ["github"] = ReceiverType.GitHub,
        ["gitlab"] = ReceiverType.GitLab,
        ["gitea"] = ReceiverType.Gitea,
        ["generic-hmac"] = ReceiverType.GenericHmac,
    };

    /// <summary>The <c>receivers</c> list of the configuration; every problem goes to <paramref name="errors"/>.</summary>
    public static IReadOnlyList<ReceiverConfig> Read(ConfigNode top, List<string> errors)
    {
        var receivers = top.List("receivers").Select(item => One(item.Item, item.Path, errors)).OfType<ReceiverConfig>().ToList();
        foreach (var dup in receivers.GroupBy(r => r.Name).Where(g => g.Count() > 1))
        {
            errors.Add($"receivers: the name '{dup.Key}' is used twice");
        }

        return receivers.Count == 0 ? Array.Empty<ReceiverConfig>() : receivers; // the shared empty list, so a config without receivers equals the default
    }

    private static ReceiverConfig? One(System.Text.Json.Nodes.JsonNode? item, string path, List<string> errors)
    {
        var r = ConfigNode.Of(item, path, errors);
        if (r is null)
        {
            return null;
        }

        r.Refuse(["secret", "token"], "secrets are never inline; put the secret in a file and name the file with secretFile");
        var name = r.Required("name");
        if (name is not null && !DnsLabel().IsMatch(name))
        {
            r.Error("name", "lower-case letters, digits and '-', at most 63 (it is the last part of /hooks/<name>)");
            name = null;
        }

        var typeText = r.Required("type");
        ReceiverType? type = typeText is null ? null : Types.TryGetValue(typeText, out var t) ? t : null;
        if (typeText is not null && type is null)
        {
            r.Error("type", "must be one of github, gitlab, gitea, generic-hmac");
        }

        var secretFile = r.Required("secretFile");
        if (secretFile is not null && !Path.IsPathFullyQualified(secretFile))
        {
            r.Error("secretFile", "must be an absolute path to a file that holds the secret");
            secretFile = null;
        }

        r.Finish();
        return name is null || type is null || secretFile is null ? null : new ReceiverConfig(name, type.Value, secretFile);
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();
}
