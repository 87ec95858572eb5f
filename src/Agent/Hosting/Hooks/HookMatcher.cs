namespace GitOps.Agent.Hosting.Hooks;

/// <summary>The targets a push concerns: those that follow one of the payload's repository addresses, on the pushed branch.</summary>
internal static class HookMatcher
{
    private const string BranchPrefix = "refs/heads/";

    /// <summary>The names of the targets among <paramref name="targets"/> that follow <paramref name="push"/>'s repository and branch.</summary>
    public static IReadOnlyList<string> Match(HookEvent push, IEnumerable<TargetConfig> targets)
    {
        if (push.Kind != HookEventKind.Push || push.Ref is null || !push.Ref.StartsWith(BranchPrefix, StringComparison.Ordinal))
        {
            return []; // a tag, a note or anything but a branch: no target follows it
        }

        var branch = push.Ref[BranchPrefix.Length..];
        var keys = push.Urls.Select(RepositoryKey.Of).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return targets
            .Where(t => t.Branch == branch && RepositoryKey.Of(t.Repository) is { } key && keys.Contains(key))
            .Select(t => t.Name)
            .ToList();
    }
}
