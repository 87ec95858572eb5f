using System.Text.Json.Nodes;
using GitOps.Diff.Identity;
using GitOps.Diff.Release;

namespace GitOps.Diff.Prune;

/// <summary>What to do with one object the previous revision had and this one does not.</summary>
public enum PruneVerdict
{
    /// <summary>Delete it.</summary>
    Delete,

    /// <summary>Keep it, and say why (a guard held, or pruning is off).</summary>
    Skip,

    /// <summary>It is gone already, or no longer ours: forget it.</summary>
    Forget,
}

public sealed record PruneDecision(ResourceKey Key, PruneVerdict Verdict, string Reason);

/// <summary>The guards a target sets for pruning.</summary>
public sealed record PruneOptions(bool Enabled, bool AllowEmpty, bool AllowProtectedKinds);

/// <summary>
/// Decides what to prune: members of the previous inventory that the new revision lacks, that
/// still exist and still carry our part-of label. Deletes nothing that destroys data the
/// repository does not hold (Namespaces, CRDs, PersistentVolumeClaims) unless the target opts
/// in, nothing annotated <c>gitops.dev/prune: disabled</c>, and nothing at all when the new
/// revision renders empty unless the target allows it. Decisions come in prune order.
/// </summary>
public static class PrunePlanner
{
    public const string PruneAnnotation = "gitops.dev/prune";

    public static readonly GroupKind NamespaceKind = new("", "Namespace");

    private static readonly HashSet<GroupKind> Protected =
    [
        new("", "Namespace"),
        new("apiextensions.k8s.io", "CustomResourceDefinition"),
        new("", "PersistentVolumeClaim"),
    ];

    public static IReadOnlyList<PruneDecision> Plan(
        IEnumerable<ResourceKey> previous,
        IReadOnlySet<ResourceKey> desired,
        Func<ResourceKey, JsonObject?> live,
        string applySetId,
        PruneOptions options)
    {
        // Reverse of the release: the last wave goes first, and inside a wave the apply order backwards.
        var candidates = ReleaseOrder.PruneOrder(previous.Where(k => !desired.Contains(k)), k => WaveOf(live(k)), k => k);
        return candidates.Select(key => Decide(key, live(key), desired, applySetId, options)).ToList();
    }

    private static int WaveOf(JsonObject? live)
    {
        try
        {
            return live is null ? 0 : ReleaseAnnotations.Read(live).Wave;
        }
        catch (FormatException)
        {
            return 0; // an annotation edited by hand in the cluster does not stop a prune
        }
    }

    private static PruneDecision Decide(ResourceKey key, JsonObject? live, IReadOnlySet<ResourceKey> desired, string applySetId, PruneOptions options)
    {
        if (live is null)
        {
            return new(key, PruneVerdict.Forget, "already gone");
        }

        if ((string?)live["metadata"]?["labels"]?[ManifestValidator.PartOfLabel] != applySetId)
        {
            return new(key, PruneVerdict.Forget, "no longer labelled as a member of this set; left alone");
        }

        var reason = SkipReason(key, live, desired.Count == 0, options)
            ?? (key.GroupKind == NamespaceKind ? NamespaceGuard.Declared(key.Name, desired) : null);
        return reason is null ? new(key, PruneVerdict.Delete, "removed from the revision") : new(key, PruneVerdict.Skip, reason);
    }

    private static string? SkipReason(ResourceKey key, JsonObject live, bool emptyRender, PruneOptions options)
    {
        if ((string?)live["metadata"]?["annotations"]?[PruneAnnotation] == "disabled")
        {
            return $"annotated {PruneAnnotation}: disabled";
        }

        if (emptyRender && !options.AllowEmpty)
        {
            return "the revision renders no objects; refusing to prune everything (the target must allow empty)";
        }

        if (Protected.Contains(key.GroupKind) && !options.AllowProtectedKinds)
        {
            return $"a {key.Kind} is pruned only when the target opts in (its deletion destroys data the repository does not hold)";
        }

        return options.Enabled ? null : "would be pruned (pruning is off)";
    }
}
