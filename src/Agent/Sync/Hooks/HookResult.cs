using GitOps.Diff.Identity;
using GitOps.Diff.Release;

namespace GitOps.Agent.Sync;

/// <summary>How a hook's run ended, in the contract's words.</summary>
internal enum HookOutcome
{
    /// <summary>It ran and succeeded.</summary>
    Succeeded,

    /// <summary>It ran (or could not be created) and failed: the pass fails with it.</summary>
    Failed,

    /// <summary>Not run: not a new revision, a dry run, or an earlier step failed.</summary>
    Skipped,
}

/// <summary>One hook of a pass: which, in which phase, how it ended and why (free of Secret values).</summary>
internal sealed record HookResult(ResourceKey Key, HookPhase Phase, HookOutcome Outcome, string Message);

/// <summary>A hook of the revision, ready to be created: its object (without our part-of label) and its role.</summary>
internal sealed record PreparedHook(PreparedObject Object, ReleaseRole Role)
{
    public ResourceKey Key => Object.Key;

    /// <summary>The ApplySet it runs for: only a hook of this set may be replaced by it.</summary>
    public string ApplySetId { get; init; } = string.Empty;

    /// <summary>The target's adopt: whether an unmanaged object under the hook's name may be replaced.</summary>
    public bool Adopt { get; init; } = true;

    /// <summary>What the hook may do about <paramref name="live"/>, the object now under its name.</summary>
    public HookClaim Claim(System.Text.Json.Nodes.JsonObject? live) => HookClaims.Judge(Key, live, ApplySetId, Adopt);
}

internal static class HookOutcomeNames
{
    public static string ToContract(this HookOutcome outcome) => outcome switch
    {
        HookOutcome.Succeeded => "succeeded",
        HookOutcome.Failed => "failed",
        _ => "skipped",
    };
}
