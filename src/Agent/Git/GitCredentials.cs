namespace GitOps.Agent.Git;

/// <summary>
/// HTTP(S) basic-auth credentials held in files (e.g. a mounted Kubernetes Secret), so a rotated
/// token is picked up on the next contact without a restart. The values are never logged.
/// </summary>
/// <param name="UsernameFile">File holding the user name; when absent the URL's user name or <c>git</c> is used.</param>
/// <param name="TokenFile">File holding the password or access token; when absent no credentials are sent.</param>
public sealed record GitCredentials(string? UsernameFile, string? TokenFile);
