using GitOps.Agent.Render;

namespace GitOps.Agent.Hosting;

/// <summary>
/// A Helm target's <c>repositories: [{name, url, usernameFile, passwordFile, caFile, insecureSkipTlsVerify, allowHosts}]</c>:
/// the chart repositories (HTTP(S) index or <c>oci://</c> registry) its dependencies may come from.
/// Secrets are never inline: usernameFile and passwordFile name files (a mounted Secret), read at render time.
/// </summary>
internal static class ChartRepositoryConfig
{
    private static readonly string[] InlineSecretKeys = ["username", "password", "token"];

    public static IReadOnlyList<ChartRepository> Read(ConfigNode helm)
    {
        var repositories = new List<ChartRepository>();
        foreach (var r in helm.Mappings("repositories"))
        {
            r.Refuse(InlineSecretKeys, "secrets are never inline; put each in a file and name the files with usernameFile and passwordFile");
            var name = r.Required("name");
            var url = r.Required("url");
            var repository = new ChartRepository(name ?? "", url ?? "", r.String("usernameFile"), r.String("passwordFile"), r.String("caFile"), r.Bool("insecureSkipTlsVerify") ?? false)
            {
                AllowHosts = r.Strings("allowHosts") ?? [],
            };
            if (url is not null && !ChartRepository.IsValidUrl(url))
            {
                r.Error("url", $"'{url}' {ChartRepository.UrlRule}");
            }

            if ((repository.UsernameFile is null) != (repository.PasswordFile is null))
            {
                r.Error(repository.UsernameFile is null ? "usernameFile" : "passwordFile", "usernameFile and passwordFile go together");
            }

            if (name is not null && repositories.Any(p => p.Name == name))
            {
                r.Error("name", $"'{name}' names another repository of this target already");
            }

            r.Finish();
            repositories.Add(repository);
        }

        return repositories;
    }
}
