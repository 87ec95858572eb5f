namespace GitOps.Agent.Git;

/// <summary>Where the manifests of a target live: a repository, a reference in it, and a folder.</summary>
/// <param name="Repository">
/// A URL (<c>https://</c>, <c>http://</c>, <c>file://</c>, <c>ssh://</c>, scp-like <c>user@host:path</c>)
/// or a local path. Credentials embedded in a URL work but are never logged or written to the cache;
/// prefer <see cref="Credentials"/>.
/// </param>
/// <param name="Reference">A branch, a tag (short or full <c>refs/…</c> name) or a commit SHA.</param>
/// <param name="Path">The folder inside the repository whose manifests are read; empty for the root.</param>
public sealed record GitSourceSpec(string Repository, string Reference, string Path)
{
    /// <summary>HTTPS basic-auth credentials, read from files each time the remote is contacted.</summary>
    public GitCredentials? Credentials { get; init; }
}
