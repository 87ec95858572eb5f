using System.Collections.Concurrent;
using GitOps.Agent.Sync;
using GitOps.Diff.Health;

namespace GitOps.Agent.Hosting;

/// <summary>
/// <c>dependsOn</c> between targets: what each worker last reached, and whether a target's
/// dependencies are all Synced and Healthy at their current revision (the branch head their
/// worker last saw). Shared by the workers of one agent; a worker that publishes wakes the
/// targets that wait for it.
/// </summary>
internal sealed class TargetDependencies
{
    private readonly ConcurrentDictionary<string, State> states = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Action> waiting = new(StringComparer.Ordinal);

    private sealed record State(string? Head, SyncResult? Last);

    /// <summary>Unknown names, a target that depends on itself, and cycles: each named, for the config's errors.</summary>
    public static IEnumerable<string> Problems(IReadOnlyList<TargetConfig> targets)
    {
        var byName = targets.GroupBy(t => t.Name).ToDictionary(g => g.Key, g => g.First());
        foreach (var t in targets)
        {
            foreach (var d in t.DependsOn.Where(d => !byName.ContainsKey(d)))
            {
                yield return $"targets[{t.Name}].dependsOn: no target is named '{d}'";
            }
        }

        var done = new HashSet<string>();
        foreach (var t in targets)
        {
            if (Cycle(t.Name, byName, [], done) is { } cycle)
            {
                yield return $"targets: dependsOn makes a cycle: {string.Join(" -> ", cycle)}";
                yield break; // one cycle is enough to refuse the file
            }
        }
    }

    private static List<string>? Cycle(string name, Dictionary<string, TargetConfig> byName, List<string> path, HashSet<string> done)
    {
        if (path.Contains(name))
        {
            return [.. path.SkipWhile(p => p != name), name];
        }

        if (done.Contains(name) || !byName.TryGetValue(name, out var t))
        {
            return null;
        }

        path.Add(name);
        foreach (var d in t.DependsOn)
        {
            if (Cycle(d, byName, path, done) is { } cycle)
            {
                return cycle;
            }
        }

        path.RemoveAt(path.Count - 1);
        done.Add(name);
        return null;
    }

    /// <summary>Registers how to wake <paramref name="target"/> when one of its dependencies moves.</summary>
    public void Subscribe(string target, Action wake) => waiting[target] = wake;

    /// <summary>What a worker saw (its branch head) and reached (its last pass); wakes its dependents.</summary>
    public void Publish(string target, string? head, SyncResult? last, IEnumerable<string> dependents)
    {
        states[target] = new State(head, last);
        foreach (var d in dependents)
        {
            if (waiting.TryGetValue(d, out var wake))
            {
                wake();
            }
        }
    }

    /// <summary>Null when every dependency is Synced and Healthy at its current revision; otherwise why not.</summary>
    /// <param name="mustBeAt">For a dependency, the commit it must be at (same branch as the dependent), or null.</param>
    public string? NotReady(IEnumerable<string> dependencies, Func<string, string?>? mustBeAt = null)
    {
        foreach (var d in dependencies)
        {
            var why = states.TryGetValue(d, out var s) ? Why(s) ?? NotAt(s, mustBeAt?.Invoke(d)) : "has not run yet";
            if (why is not null)
            {
                return $"waiting for target '{d}', which {why}";
            }
        }

        return null;
    }

    private static string? NotAt(State s, string? commit) =>
        commit is not null && s.Last?.Revision != commit ? $"has not synced {Revisions.Short(commit)} yet" : null;

    private static string? Why(State s) => s.Last switch
    {
        null => "has not run yet",
        { Phase: not SyncPhase.Synced } l => $"is {l.Phase} at {Revisions.Short(l.Revision)}",
        { Health: not HealthStatus.Healthy } l => $"is {l.Health} at {Revisions.Short(l.Revision)}",
        var l when s.Head is not null && l.Revision != s.Head => $"is at {Revisions.Short(l.Revision)}, not yet at its branch head {Revisions.Short(s.Head)}",
        _ => null,
    };
}
