using LibGit2Sharp;
using LibGit2Sharp.Handlers;

namespace GitOps.Agent.Git;

/// <summary>
/// Hands HTTP basic-auth credentials to libgit2. The values come from the spec's files (read when
/// the provider is made, i.e. each time a remote is contacted) or else from the URL itself.
/// </summary>
/// <remarks>
/// libgit2 asks again after the server refused the credentials and would replay them up to 15
/// times; answering the second request with nothing stops it at once, and <see cref="Rejected"/>
/// tells the caller why the operation then failed. The callback must not throw: an exception
/// crossing the native frames would take the process down.
/// </remarks>
internal sealed class CredentialsProvider
{
    private const string DefaultUserName = "git";

    private readonly string? userName;
    private readonly string password;
    private int requests;

    private CredentialsProvider(string? userName, string password, string source)
    {
        this.userName = userName;
        this.password = password;
        Source = source;
    }

    /// <summary>Where the secret came from, for messages: a file path or "the URL". Never the secret.</summary>
    public string Source { get; }

    /// <summary>True once libgit2 asked twice in one operation, i.e. the server refused what it got.</summary>
    public bool Rejected => requests > 1;

    /// <summary>Null when neither the spec nor the URL carries a password or token.</summary>
    public static CredentialsProvider? Create(GitCredentials? credentials, RepositoryLocation location)
    {
        if (credentials?.TokenFile is { } tokenFile)
        {
            var user = credentials.UsernameFile is { } userFile ? ReadSecret(userFile) : location.UserName;
            return new CredentialsProvider(user, ReadSecret(tokenFile), tokenFile);
        }

        return location.Password is null ? null : new CredentialsProvider(location.UserName, location.Password, "the URL");
    }

    /// <summary>Call before each network operation: the rejection count is per operation.</summary>
    public CredentialsHandler Begin()
    {
        requests = 0;
        return Provide;
    }

    private Credentials Provide(string url, string usernameFromUrl, SupportedCredentialTypes types)
    {
        if (++requests > 1 || !types.HasFlag(SupportedCredentialTypes.UsernamePassword))
        {
            // Null makes libgit2 give up instead of replaying refused credentials.
            return null!;
        }

        return new UsernamePasswordCredentials
        {
            Username = userName ?? (string.IsNullOrEmpty(usernameFromUrl) ? DefaultUserName : usernameFromUrl),
            Password = password,
        };
    }

    private static string ReadSecret(string path)
    {
        try
        {
            // Secrets mounted from Kubernetes or written by `echo` end with a newline that is not part of them.
            return File.ReadAllText(path).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new GitSourceException($"cannot read credentials file {path}: {ex.Message}", ex);
        }
    }
}
