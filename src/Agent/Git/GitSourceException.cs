namespace GitOps.Agent.Git;

/// <summary>
/// A git operation failed for a reason the user can act on. The message names the repository
/// (credentials removed), the reference or path involved, and what went wrong.
/// </summary>
public sealed class GitSourceException : Exception
{
    public GitSourceException()
    {
    }

    public GitSourceException(string message)
        : base(message)
    {
    }

    public GitSourceException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The commit the failure is about, when it was resolved before the failure (a symlink, a budget, a missing path).</summary>
    public string? CommitSha { get; init; }
}
