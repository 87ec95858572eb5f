using GitOps.Agent.Git;

namespace GitOps.Agent.Hosting.Hooks;

/// <summary>
/// One spelling for every address of a repository, so that a payload's <c>clone_url</c>, <c>ssh_url</c>
/// or <c>html_url</c> matches the target's <c>repository</c> however it was written: no scheme, no
/// credentials or user, host in lower case, no default port, no trailing <c>/</c> or <c>.git</c>.
/// <c>https://TOKEN@GitHub.com/org/app.git</c>, <c>git@github.com:org/app</c> and
/// <c>ssh://git@github.com:22/org/app.git</c> all become <c>github.com/org/app</c>; a local path
/// (or <c>file://</c> URL) becomes its absolute path.
/// </summary>
internal static class RepositoryKey
{
    private static readonly Dictionary<string, int> DefaultPorts = new(StringComparer.Ordinal)
    {
        ["https"] = 443, ["http"] = 80, ["ssh"] = 22, ["git+ssh"] = 22, ["ssh+git"] = 22, ["git"] = 9418,
    };

    /// <summary>The key of <paramref name="repository"/>, or null when it is no repository address at all.</summary>
    public static string? Of(string? repository)
    {
        if (string.IsNullOrWhiteSpace(repository))
        {
            return null;
        }

        string url;
        try
        {
            url = RepositoryLocation.Parse(repository).Url; // credentials split off, local paths absolute
        }
        catch (GitSourceException)
        {
            return null;
        }

        if (url.Contains("://", StringComparison.Ordinal))
        {
            return Uri.TryCreate(url, UriKind.Absolute, out var uri) ? FromUri(uri) : null;
        }

        var colon = url.IndexOf(':', StringComparison.Ordinal);
        var slash = url.IndexOf('/', StringComparison.Ordinal);
        if (colon > 0 && (slash < 0 || colon < slash))
        {
            // scp-like ssh: [user@]host:path
            var host = url[..colon];
            host = host[(host.LastIndexOf('@') + 1)..];
            return Trim(host.ToLowerInvariant() + "/" + url[(colon + 1)..].TrimStart('/'));
        }

        return Trim(url);
    }

    private static string? FromUri(Uri uri)
    {
        if (uri.IsFile)
        {
            return Trim(uri.LocalPath);
        }

        var scheme = uri.Scheme.ToLowerInvariant();
        var port = uri.IsDefaultPort || (DefaultPorts.TryGetValue(scheme, out var d) && d == uri.Port) || uri.Port < 0 ? "" : $":{uri.Port}";
        return uri.Host.Length == 0 ? null : Trim($"{uri.Host.ToLowerInvariant()}{port}{Uri.UnescapeDataString(uri.AbsolutePath)}");
    }

    private static string Trim(string key)
    {
        key = key.TrimEnd('/');
        return key.EndsWith(".git", StringComparison.Ordinal) ? key[..^4].TrimEnd('/') : key;
    }
}
