namespace GitOps.Agent.Git;

/// <summary>Budgets and identities for the git stages. <see cref="Default"/> holds the documented defaults.</summary>
public sealed record GitOptions
{
    /// <summary>
    /// The defaults: 16 MiB per file, 20,000 files, 256 MiB in all, 10 push attempts with a backoff
    /// of up to 50 ms, 100 ms, 200 ms … capped at 2 s between them.
    /// </summary>
    public static GitOptions Default { get; } = new();

    /// <summary>Largest manifest file read from a commit; a larger one fails the revision.</summary>
    public long MaxFileBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>Most manifest files read under one path; more fail the revision.</summary>
    public int MaxFiles { get; init; } = 20_000;

    /// <summary>Most bytes of manifests read under one path, all files together.</summary>
    public long MaxTotalBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>
    /// The ssh command for <c>ssh://</c> and scp-like remotes (libgit2 runs the external program).
    /// Defaults to <c>GIT_SSH_COMMAND</c> of the agent's environment; null uses plain <c>ssh</c>.
    /// </summary>
    public string? SshCommand { get; init; } = Environment.GetEnvironmentVariable("GIT_SSH_COMMAND");

    /// <summary>
    /// How many times a status note is written on top of the remote's notes and pushed before the
    /// write fails. Every lost race costs one, and a lost race means another writer's note landed,
    /// so W agents writing at the same moment need at most W attempts each.
    /// </summary>
    public int MaxPushAttempts { get; init; } = 10;

    /// <summary>
    /// The first retry's backoff ceiling; it doubles with every retry up to <see cref="MaxPushRetryDelay"/>.
    /// The wait is drawn uniformly below the ceiling ("full jitter"), so agents that lost the same
    /// race do not meet again at the same moment.
    /// </summary>
    public TimeSpan PushRetryDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The largest backoff ceiling between two push attempts.</summary>
    public TimeSpan MaxPushRetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Author and committer name of the notes and rollback commits the agent writes.</summary>
    public string CommitterName { get; init; } = "gitops-agent";

    /// <summary>Author and committer e-mail of the notes and rollback commits the agent writes.</summary>
    public string CommitterEmail { get; init; } = "gitops-agent@localhost";
}
