using System.Text.RegularExpressions;
using GitOps.Agent.Sync.Forge;

namespace GitOps.Agent.Hosting;

/// <summary>
/// Reads a target's <c>commitStatus</c> and the top-level <c>publicUrl</c>. The token is a file
/// path only: a token inline in the configuration is refused, like every other secret.
/// </summary>
internal static partial class ForgeConfig
{
    private static readonly string[] InlineSecretKeys = ["token", "password", "privateToken"];

    public static CommitStatusConfig? CommitStatus(ConfigNode target)
    {
        var c = target.Mapping("commitStatus");
        if (c is null)
        {
            return null;
        }

        c.Refuse(InlineSecretKeys, "secrets are never inline; put the token in a file and name the file with tokenFile");
        var provider = Provider(c);
        var url = HttpUrl(c, "url", required: true);
        var repository = c.Required("repository");
        var tokenFile = c.Required("tokenFile");
        var context = c.String("context");
        if (repository is not null && provider is { } p && !(p == ForgeProvider.GitLab ? GitLabProject() : OwnerName()).IsMatch(repository))
        {
            c.Error("repository", p == ForgeProvider.GitLab ? "must be the project's path (group/name) or its numeric id" : "must be owner/name");
        }

        if (context is { Length: 0 })
        {
            c.Error("context", "must not be empty");
        }

        c.Finish();
        return provider is { } kind && url is not null && repository is not null && tokenFile is not null
            ? new CommitStatusConfig(kind, new Uri(url), repository, tokenFile) { Context = context is { Length: > 0 } ? context : null }
            : null;
    }

    public static string? PublicUrl(ConfigNode top) => HttpUrl(top, "publicUrl", required: false)?.TrimEnd('/');

    private static ForgeProvider? Provider(ConfigNode c)
    {
        var provider = c.Required("provider");
        ForgeProvider? kind = provider switch
        {
            "github" => ForgeProvider.GitHub,
            "gitlab" => ForgeProvider.GitLab,
            "gitea" or "forgejo" => ForgeProvider.Gitea,
            _ => null,
        };
        if (provider is not null && kind is null)
        {
            c.Error("provider", "must be github, gitlab or gitea (Gitea and Forgejo)");
        }

        return kind;
    }

    private static string? HttpUrl(ConfigNode c, string key, bool required)
    {
        var text = required ? c.Required(key) : c.String(key);
        if (text is null)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.UserInfo.Length > 0 || uri.Query.Length > 0)
        {
            c.Error(key, "must be an http(s) URL without credentials or query");
            return null;
        }

        return text;
    }

    [GeneratedRegex("^[^/\\s]+/[^/\\s]+$")]
    private static partial Regex OwnerName();

    [GeneratedRegex("^([0-9]+|[^/\\s]+(/[^/\\s]+)+)$")]
    private static partial Regex GitLabProject();
}
