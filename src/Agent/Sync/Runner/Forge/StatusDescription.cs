using GitOps.Agent.Git;
using GitOps.Diff.Drift;

namespace GitOps.Agent.Sync.Forge;

/// <summary>What a status says in the forge's one line: the counts, or why the pass failed (pure).</summary>
internal static class StatusDescription
{
    /// <summary>Forges cut (GitHub refuses) longer descriptions; 140 is what they all keep.</summary>
    public const int MaxLength = 140;

    public const string Started = "sync started";

    /// <summary>The order of the note's human line, so both read alike.</summary>
    private static readonly SyncAction[] Order =
        [SyncAction.Created, SyncAction.Configured, SyncAction.Unchanged, SyncAction.Pruned, SyncAction.PruneSkipped, SyncAction.Failed, SyncAction.NotApplied, SyncAction.Adopted];

    public static string Of(SyncResult result)
    {
        if (result.Phase == SyncPhase.Failed)
        {
            // Already redacted by the engine; redacting URLs again costs nothing and adds nothing new.
            return Truncate(UrlRedactor.Redact(result.StatusMessage ?? result.Message));
        }

        var counts = result.Counts.OrderBy(c => Array.IndexOf(Order, c.Key)).Select(c => $"{c.Key.ToContract()}={c.Value}").ToList();
        return Truncate(counts.Count == 0 ? "synced: no objects" : $"{result.Health}: {string.Join(' ', counts)}");
    }

    /// <summary>At most <see cref="MaxLength"/> characters, ending in … when cut, never between the halves of a surrogate pair.</summary>
    public static string Truncate(string text)
    {
        text = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (text.Length <= MaxLength)
        {
            return text;
        }

        var cut = MaxLength - 1;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return text[..cut] + "…";
    }
}
