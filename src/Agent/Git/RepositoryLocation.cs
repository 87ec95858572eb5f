using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace GitOps.Agent.Git;

/// <summary>
/// A repository address made ready for libgit2: local paths made absolute, and credentials
/// embedded in an HTTP(S) URL split off so they reach the remote only through the credentials
/// callback, never the cache's config file or an error message.
/// </summary>
/// <remarks>A class, not a record: a record's generated ToString would print the password.</remarks>
internal sealed partial class RepositoryLocation
{
    private static readonly string[] SupportedSchemes = ["https", "http", "file", "ssh", "git+ssh", "ssh+git", "git"];

    private RepositoryLocation(string url, string? userName, string? password)
    {
        Url = url;
        UserName = userName;
        Password = password;
    }

    /// <summary>The address given to libgit2, without credentials; safe for messages and logs.</summary>
    public string Url { get; }

    /// <summary>The user name embedded in an HTTP(S) URL, percent-decoded.</summary>
    public string? UserName { get; }

    /// <summary>The password embedded in an HTTP(S) URL, percent-decoded.</summary>
    public string? Password { get; }

    /// <summary>Name of the cache folder: a hash of the address without credentials.</summary>
    public string CacheKey => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Url)))[..32];

    public static RepositoryLocation Parse(string repository)
    {
        if (string.IsNullOrWhiteSpace(repository))
        {
            throw new GitSourceException("the repository is empty: give a URL or a local path");
        }

        var text = repository.Trim();
        var scheme = Scheme().Match(text);
        if (scheme.Success)
        {
            var name = scheme.Groups["name"].Value.ToLowerInvariant();
            if (!SupportedSchemes.Contains(name))
            {
                throw new GitSourceException($"repository {UrlRedactor.Redact(text)}: unsupported scheme '{name}' (use https, http, file, ssh or a local path)");
            }

            return name is "https" or "http" ? FromHttp(text) : new RepositoryLocation(text, null, null);
        }

        // Like git: a colon before the first slash means scp-like ssh ("git@host:org/repo.git").
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (colon > 0 && (slash < 0 || colon < slash))
        {
            return new RepositoryLocation(text, null, null);
        }

        return new RepositoryLocation(System.IO.Path.GetFullPath(text), null, null);
    }

    private static RepositoryLocation FromHttp(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            throw new GitSourceException($"repository {UrlRedactor.Redact(text)} is not a valid URL");
        }

        if (uri.UserInfo.Length == 0)
        {
            return new RepositoryLocation(text, null, null);
        }

        var parts = uri.UserInfo.Split(':', 2);
        var withoutUserInfo = new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty }.Uri.AbsoluteUri;
        return new RepositoryLocation(
            withoutUserInfo,
            Uri.UnescapeDataString(parts[0]),
            parts.Length == 2 ? Uri.UnescapeDataString(parts[1]) : null);
    }

    public override string ToString() => Url;

    [GeneratedRegex(@"^(?<name>[A-Za-z][A-Za-z0-9+.\-]*)://", RegexOptions.CultureInvariant)]
    private static partial Regex Scheme();
}
