namespace GitOps.Diff.Release;

/// <summary>When a hook runs in a release (the Argo CD phases).</summary>
public enum HookPhase
{
    /// <summary>Before anything else of the revision is written.</summary>
    PreSync,

    /// <summary>With the members of its wave.</summary>
    Sync,

    /// <summary>Once every member is Healthy.</summary>
    PostSync,

    /// <summary>When the pass failed.</summary>
    SyncFail,
}

/// <summary>When a hook object is deleted (Helm's and Argo CD's policies).</summary>
public enum HookDeletePolicy
{
    /// <summary>The previous run's object is deleted just before the new run creates it (the default).</summary>
    BeforeHookCreation,

    /// <summary>Deleted once it succeeded.</summary>
    HookSucceeded,

    /// <summary>Deleted once it failed.</summary>
    HookFailed,
}

/// <summary>
/// What an object is in a release: an ordinary member in <see cref="Wave"/>, a hook of one or
/// more phases (ordered by <see cref="Wave"/> within a phase), or an object not applied at all
/// (<see cref="Skipped"/>: Argo CD's <c>Skip</c>, or a Helm hook of a kind of event a sync has no
/// counterpart for, such as <c>pre-delete</c> or <c>test</c>).
/// </summary>
public sealed record ReleaseRole(int Wave, IReadOnlyList<HookPhase> Hooks, IReadOnlySet<HookDeletePolicy> DeletePolicies, bool Skipped = false)
{
    public static readonly ReleaseRole Member = new(0, [], new HashSet<HookDeletePolicy>());

    /// <summary>Not an inventory member: it runs (or is skipped) instead of being kept in sync.</summary>
    public bool IsHook => Hooks.Count > 0 || Skipped;

    /// <summary>Runs in <paramref name="phase"/>.</summary>
    public bool In(HookPhase phase) => Hooks.Contains(phase);

    /// <summary>Deleted after a run that ended so (succeeded or not).</summary>
    public bool DeleteAfter(bool succeeded) =>
        DeletePolicies.Contains(succeeded ? HookDeletePolicy.HookSucceeded : HookDeletePolicy.HookFailed);
}
