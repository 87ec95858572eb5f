using System.Text.Json.Nodes;
using GitOps.Diff.Identity;
using GitOps.Diff.Json;
using GitOps.Diff.Masking;

namespace GitOps.Diff.Drift;

/// <summary>
/// Decides drift from the server's own prediction, never from a guess at defaults: the result
/// of a server-side dry-run apply already carries every default, webhook mutation and merge,
/// so if it equals the live object (server-owned fields and ignored fields aside) applying
/// would change nothing. Field changes are for display and have Secret values masked.
/// </summary>
public static class DriftCalculator
{
    public static DriftResult Compare(ResourceKey key, JsonObject? live, JsonObject predicted, IReadOnlyList<IgnoreRule>? ignore = null)
    {
        if (live is null)
        {
            return DriftResult.Created;
        }

        var before = Comparable(key, live, ignore);
        var after = Comparable(key, predicted, ignore);
        if (JsonEquality.Equal(before, after))
        {
            return DriftResult.Unchanged;
        }

        var changes = new List<FieldChange>();
        FieldDiff.Collect(string.Empty, before, after, changes);
        return new DriftResult(SyncAction.Configured, SecretMasker.MaskChanges(key, changes));
    }

    /// <summary>The form objects are compared (and hashed) in.</summary>
    public static JsonObject Comparable(ResourceKey key, JsonObject obj, IReadOnlyList<IgnoreRule>? ignore = null)
    {
        var stripped = ServerFields.Strip(obj);
        if (ignore is { Count: > 0 })
        {
            IgnoreRule.Apply(ignore, key, stripped);
        }

        return stripped;
    }
}
