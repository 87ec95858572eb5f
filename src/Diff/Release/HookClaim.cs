using System.Text.Json.Nodes;
using GitOps.Diff.Identity;

namespace GitOps.Diff.Release;

/// <summary>What a hook may do about the object that already exists under its name.</summary>
public enum HookClaimVerdict
{
    /// <summary>Nothing is there: the hook is created.</summary>
    Create,

    /// <summary>This target's own hook (an earlier run), or an unmanaged object the target adopts: deleted and created again.</summary>
    Replace,

    /// <summary>Somebody else's object (a member of another ApplySet, another target's hook, or unmanaged with adopt: false): the revision fails.</summary>
    Refuse,
}

/// <summary>The verdict on one hook's name, and, when refused, why (naming the object).</summary>
public sealed record HookClaim(HookClaimVerdict Verdict, string? Reason = null);

/// <summary>
/// Pure: may a hook replace (delete and recreate) what lives under its name? Only this target's
/// own hook (or own member the revision turns into a hook), or, when the target adopts, an
/// object nobody manages. A member of another ApplySet and another target's hook are never touched.
/// </summary>
public static class HookClaims
{
    /// <summary>On hook objects: the ApplySet they ran for (they are not its members).</summary>
    public const string HookOfLabel = "gitops.dev/hook-of";

    public static HookClaim Judge(ResourceKey key, JsonObject? live, string applySetId, bool adopt)
    {
        if (live is null)
        {
            return new HookClaim(HookClaimVerdict.Create);
        }

        var labels = live["metadata"]?["labels"] as JsonObject;
        if (Label(labels, ManifestValidator.PartOfLabel) is { } set)
        {
            // A member of this very set that the revision turns into a hook: its own to replace (it leaves the inventory).
            return set == applySetId ? new HookClaim(HookClaimVerdict.Replace) : Refuse(key, $"exists and is a member of ApplySet {set}; a hook replaces the object of its name, so it must not be named like a member: rename the hook");
        }

        if (Label(labels, HookOfLabel) is { } owner)
        {
            return owner == applySetId
                ? new HookClaim(HookClaimVerdict.Replace)
                : Refuse(key, $"exists and is a hook of another ApplySet ({owner}); rename the hook");
        }

        return adopt
            ? new HookClaim(HookClaimVerdict.Replace)
            : Refuse(key, "exists and is not managed by this target; the target does not adopt (adopt: false), so the hook would not replace it: delete it, or rename the hook");
    }

    private static HookClaim Refuse(ResourceKey key, string why) => new(HookClaimVerdict.Refuse, $"hook {key}: {why}");

    private static string? Label(JsonObject? labels, string name) =>
        labels?[name] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;
}
