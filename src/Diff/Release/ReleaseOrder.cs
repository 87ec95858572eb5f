using GitOps.Diff.Identity;
using GitOps.Diff.Order;

namespace GitOps.Diff.Release;

/// <summary>One wave of the Sync phase: its members (in apply order) and the Sync hooks that run with them.</summary>
public sealed record SyncWave<TMember, THook>(int Wave, IReadOnlyList<TMember> Members, IReadOnlyList<THook> Hooks);

/// <summary>
/// The order of a release, kept as data: hooks of a phase wave by wave, the Sync phase wave by
/// wave (members and Sync hooks of one wave together; inside a wave the apply stages of
/// <see cref="ApplyOrder"/>), and prune in the reverse of both.
/// </summary>
public static class ReleaseOrder
{
    /// <summary>The hooks of <paramref name="phase"/>, grouped by wave (ascending), each group in apply order.</summary>
    public static IReadOnlyList<IReadOnlyList<T>> HookWaves<T>(IEnumerable<T> hooks, Func<T, ReleaseRole> role, Func<T, ResourceKey> key, HookPhase phase) =>
        hooks.Where(h => role(h).In(phase)).GroupBy(h => role(h).Wave).OrderBy(g => g.Key)
            .Select(g => ApplyOrder.Sort(g, key)).ToList();

    /// <summary>Members and Sync hooks grouped by wave, ascending.</summary>
    public static IReadOnlyList<SyncWave<TMember, THook>> SyncWaves<TMember, THook>(
        IEnumerable<TMember> members, Func<TMember, int> wave, Func<TMember, ResourceKey> memberKey,
        IEnumerable<THook> hooks, Func<THook, ReleaseRole> role, Func<THook, ResourceKey> hookKey)
    {
        var m = members.ToLookup(wave);
        var h = hooks.Where(x => role(x).In(HookPhase.Sync)).ToLookup(x => role(x).Wave);
        return m.Select(g => g.Key).Union(h.Select(g => g.Key)).Order()
            .Select(w => new SyncWave<TMember, THook>(w, ApplyOrder.Sort(m[w], memberKey), ApplyOrder.Sort(h[w], hookKey))).ToList();
    }

    /// <summary>Prune order: highest wave first, and inside a wave the apply order backwards.</summary>
    public static IReadOnlyList<T> PruneOrder<T>(IEnumerable<T> items, Func<T, int> wave, Func<T, ResourceKey> key) =>
        items.OrderByDescending(wave).ThenByDescending(key, ApplyOrder.Comparer).ToList();
}
