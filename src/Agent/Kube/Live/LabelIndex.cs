using GitOps.Diff.Identity;

namespace GitOps.Agent.Kube.Live;

/// <summary>
/// The objects of one watched collection grouped by a label's value (an ApplySet id), each as its
/// compact JSON. Not thread-safe: <see cref="CollectionWatch"/> guards it.
/// </summary>
internal sealed class LabelIndex
{
    private readonly Dictionary<string, Dictionary<ResourceKey, byte[]>> groups = new(StringComparer.Ordinal);
    private readonly Dictionary<ResourceKey, string> valueOf = [];

    public int Count => valueOf.Count;

    /// <summary>The object's group and JSON, or null when it is not in the collection.</summary>
    public (string Value, byte[] Json)? Get(ResourceKey key) =>
        valueOf.TryGetValue(key, out var value) ? (value, groups[value][key]) : null;

    public void Set(ResourceKey key, string value, byte[] json)
    {
        Remove(key);
        valueOf[key] = value;
        if (!groups.TryGetValue(value, out var group))
        {
            groups[value] = group = [];
        }

        group[key] = json;
    }

    public void Remove(ResourceKey key)
    {
        if (!valueOf.Remove(key, out var value))
        {
            return;
        }

        var group = groups[value];
        group.Remove(key);
        if (group.Count == 0)
        {
            groups.Remove(value);
        }
    }

    /// <summary>A copy of the group <paramref name="value"/> (empty when none).</summary>
    public KeyValuePair<ResourceKey, byte[]>[] Group(string value) =>
        groups.TryGetValue(value, out var group) ? [.. group] : [];

    /// <summary>The values whose groups differ between this index and <paramref name="other"/> (an object added, removed or changed).</summary>
    public IReadOnlyCollection<string> ChangedGroups(LabelIndex other)
    {
        var changed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in groups.Keys.Concat(other.groups.Keys))
        {
            var mine = groups.GetValueOrDefault(value);
            var theirs = other.groups.GetValueOrDefault(value);
            if (mine is null || theirs is null || mine.Count != theirs.Count
                || mine.Any(m => !theirs.TryGetValue(m.Key, out var json) || !json.AsSpan().SequenceEqual(m.Value)))
            {
                changed.Add(value);
            }
        }

        return changed;
    }
}
