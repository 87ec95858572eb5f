using System.Collections.Immutable;

namespace GitOps.Agent.Hosting.Web;

/// <summary>All targets at one moment, in name order, and a version that grows with every change.</summary>
internal sealed record ViewSnapshot(long Version, ImmutableSortedDictionary<string, TargetView> Targets);

/// <summary>
/// The pages' read model: one immutable <see cref="ViewSnapshot"/> swapped whole on each change.
/// Readers take <see cref="Current"/> and render from it with no lock; writers (pass reporters)
/// take a short lock only against each other.
/// </summary>
internal sealed class ViewStore
{
    private readonly Lock writers = new();
    private ViewSnapshot current;
    private TaskCompletionSource changed = NewSignal();

    public ViewStore(IEnumerable<TargetView> targets) =>
        current = new ViewSnapshot(0, targets.ToImmutableSortedDictionary(t => t.Name, t => t, StringComparer.Ordinal));

    public ViewSnapshot Current => Volatile.Read(ref current);

    /// <summary>Replaces one target's view; a target the store does not know is ignored.</summary>
    public void Update(string target, Func<TargetView, TargetView> change)
    {
        TaskCompletionSource signal;
        lock (writers)
        {
            var before = current;
            if (!before.Targets.TryGetValue(target, out var view))
            {
                return;
            }

            var after = change(view);
            if (ReferenceEquals(after, view))
            {
                return;
            }

            Volatile.Write(ref current, new ViewSnapshot(before.Version + 1, before.Targets.SetItem(target, after)));
            signal = changed;
            changed = NewSignal();
        }

        signal.TrySetResult();
    }

    /// <summary>Completes once the version is past <paramref name="seen"/> (at once when it already is).</summary>
    public Task ChangedSinceAsync(long seen, CancellationToken ct)
    {
        Task wait;
        lock (writers)
        {
            wait = current.Version > seen ? Task.CompletedTask : changed.Task;
        }

        return wait.WaitAsync(ct);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
