using System.Text;
using System.Text.Json.Nodes;

namespace GitOps.Agent.Render;

/// <summary>
/// A chart repository a target's chart may fetch dependencies from (agent config
/// <c>helm.repositories</c>): an HTTP(S) index (<c>https://host/charts</c>, its <c>index.yaml</c>
/// beside) or an OCI registry path (<c>oci://host/path</c>). Secrets are never inline: the
/// username and password are read from their files at render time, so a rotated Secret takes
/// effect on the next fetch.
/// </summary>
/// <param name="Name">How Chart.yaml may name it (<c>repository: "@name"</c> or <c>"alias:name"</c>).</param>
/// <param name="Url">The repository URL; a dependency matches it exactly (OCI: also any path below it).</param>
/// <param name="UsernameFile">File holding the username (basic auth, or the registry login), or null.</param>
/// <param name="PasswordFile">File holding the password or token, or null.</param>
/// <param name="CaFile">PEM bundle that verifies the server's certificate, or null for the system's.</param>
/// <param name="InsecureSkipTlsVerify">Do not verify the server's certificate at all.</param>
internal sealed record ChartRepository(string Name, string Url, string? UsernameFile, string? PasswordFile, string? CaFile, bool InsecureSkipTlsVerify)
{
    /// <summary>Other hosts the repository sends downloads to (an index's chart URLs, a registry's blob redirects).</summary>
    public IReadOnlyList<string> AllowHosts { get; init; } = [];

    /// <summary>What <see cref="IsValidUrl"/> wants, for errors.</summary>
    public const string UrlRule = "must be an http://, https:// or oci:// URL (oci://host[:port]/path)";

    public bool IsOci => Url.StartsWith("oci://", StringComparison.Ordinal);

    /// <summary>The URL's host and port (<c>host:443</c>), for the network allow-list and the registry login.</summary>
    public string HostPort
    {
        get
        {
            var uri = new Uri(IsOci ? "https://" + Url["oci://".Length..] : Url);
            return $"{uri.Host}:{uri.Port}";
        }
    }

    /// <summary>The registry a login is for: <c>host[:port]</c> as written in the OCI URL.</summary>
    public string Registry => IsOci ? Url["oci://".Length..].Split('/')[0] : new Uri(Url).Authority;

    /// <summary>Whether a Chart.yaml <c>repository:</c> (a URL, <c>@name</c> or <c>alias:name</c>) means this repository.</summary>
    public bool Matches(string repository)
    {
        if (repository.StartsWith('@'))
        {
            return repository[1..] == Name;
        }

        if (repository.StartsWith("alias:", StringComparison.Ordinal))
        {
            return repository["alias:".Length..] == Name;
        }

        var (wanted, mine) = (repository.TrimEnd('/'), Url.TrimEnd('/'));
        return string.Equals(wanted, mine, StringComparison.Ordinal)
            || (IsOci && wanted.StartsWith(mine + "/", StringComparison.Ordinal));
    }

    /// <summary>An http(s):// or oci:// URL with a host, and no query or user info (credentials come from files).</summary>
    public static bool IsValidUrl(string url)
    {
        var oci = url.StartsWith("oci://", StringComparison.Ordinal);
        var http = oci ? "https://" + url["oci://".Length..] : url;
        return Uri.TryCreate(http, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0
            && uri.Query.Length == 0 && uri.UserInfo.Length == 0;
    }

    /// <summary>The part of the cache keys that decides what is fetched: everything but the credentials.</summary>
    public string Key => string.Join('\u0001', Name, Url, CaFile, InsecureSkipTlsVerify, string.Join(',', AllowHosts));
}

/// <summary>A repository's username and password as read from their files for one fetch.</summary>
internal sealed record ChartCredentials(string? Username, string? Password)
{
    public static ChartCredentials None { get; } = new(null, null);

    /// <summary>Reads both files; a file that cannot be read is an error naming the file, never its content.</summary>
    public static async Task<ChartCredentials> ReadAsync(ChartRepository repository, string what, CancellationToken ct) =>
        new(await ReadAsync(repository, repository.UsernameFile, "username", what, ct), await ReadAsync(repository, repository.PasswordFile, "password", what, ct));

    /// <summary>Secret objects for the redactor: the password, and <c>user:password</c> (basic auth and registry logins carry it in base64).</summary>
    public IEnumerable<JsonObject> AsSecrets()
    {
        if (Password is null)
        {
            yield break;
        }

        var values = new JsonObject { ["password"] = Password };
        if (Username is not null)
        {
            values["login"] = $"{Username}:{Password}";
        }

        yield return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Secret", ["stringData"] = values };
    }

    /// <summary>Helm's registry config (Docker's <c>config.json</c>) holding this login for <paramref name="registry"/>.</summary>
    public string RegistryConfig(string registry)
    {
        var auths = new JsonObject();
        if (Username is not null && Password is not null)
        {
            auths[registry] = new JsonObject { ["auth"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}")) };
        }

        return new JsonObject { ["auths"] = auths }.ToJsonString();
    }

    private static async Task<string?> ReadAsync(ChartRepository repository, string? file, string which, string what, CancellationToken ct)
    {
        if (file is null)
        {
            return null;
        }

        try
        {
            var text = (await File.ReadAllTextAsync(file, ct)).Trim();
            return text.Length > 0 ? text : throw new RenderException($"{what}: the {which} file of chart repository '{repository.Name}' ({file}) is empty");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RenderException($"{what}: cannot read the {which} file of chart repository '{repository.Name}' ({file}): {ex.GetType().Name}", ex);
        }
    }
}
