namespace GitOps.Agent.Sync.Forge;

/// <summary>The forges whose commit-status APIs the agent speaks; Gitea covers Forgejo too.</summary>
internal enum ForgeProvider
{
    GitHub,
    GitLab,
    Gitea,
}

/// <summary>
/// A target's <c>commitStatus</c>: where its commits' statuses are posted.
/// <paramref name="Url"/> is the API base (<c>https://api.github.com</c>, <c>https://HOST/api/v3</c>,
/// <c>https://HOST/api/v4</c>, <c>https://HOST/api/v1</c>); <paramref name="Repository"/> is
/// <c>owner/name</c> (GitLab: the project's path or numeric id); the token is read from
/// <paramref name="TokenFile"/> on every post, so a rotated Secret takes effect without a restart.
/// </summary>
internal sealed record CommitStatusConfig(ForgeProvider Provider, Uri Url, string Repository, string TokenFile)
{
    /// <summary>The status's name on the commit; null means <c>gitops/&lt;cluster&gt;/&lt;target&gt;</c>.</summary>
    public string? Context { get; init; }

    public string ContextFor(string cluster, string target) => Context ?? $"gitops/{cluster}/{target}";
}

/// <summary>The states a status takes; each forge spells them its own way (<see cref="ForgeApi"/>).</summary>
internal enum CommitState
{
    Pending,
    Success,
    Failure,
}

/// <summary>One status on a commit: two are the same when context, state and description are.</summary>
internal sealed record ForgeStatus(string Context, CommitState State, string Description)
{
    public string? TargetUrl { get; init; }

    public bool SameAs(ForgeStatus? other) =>
        other is not null && other.Context == Context && other.State == State && other.Description == Description;
}
