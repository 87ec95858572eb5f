using System.Collections.Concurrent;
using GitOps.Agent.Git;
using GitOps.Agent.Kube;
using GitOps.Diff.Drift;

namespace GitOps.Agent.Sync;

/// <summary>
/// The commit's status note (<see cref="ICommitStatusStore"/>): Progressing when a pass starts
/// writing a commit it has not reported yet, then the outcome when it differs from the last one
/// written for the target. A failure of the infrastructure (cluster unreachable) never replaces
/// a verdict already on the commit: the commit is still what it was.
/// </summary>
internal sealed class NoteReporter(ICommitStatusStore store, string cluster, TimeProvider clock, IWriteFence fence) : IPassReporter
{
    public const string Progressing = "Progressing";

    private readonly ConcurrentDictionary<string, Entry> last = new(StringComparer.Ordinal);

    /// <summary>Forget what was written: another replica may have written since (a new term of leadership).</summary>
    public void Forget() => last.Clear();

    public async Task ProgressingAsync(PassContext pass, CancellationToken ct)
    {
        if (pass.Commit is null || last.GetValueOrDefault(pass.Target.Name)?.Revision == pass.Commit)
        {
            return; // correcting drift on a commit already reported: its verdict stands until the pass ends
        }

        await WriteAsync(pass, new Entry(pass.Commit, Progressing, "Unknown", "sync started"), new Dictionary<string, int>(), ct);
    }

    public async Task FinishedAsync(PassContext pass, SyncResult result, bool infrastructure, CancellationToken ct)
    {
        if (pass.Commit is not { Length: > 0 } commit)
        {
            return;
        }

        var previous = last.GetValueOrDefault(pass.Target.Name);
        if (infrastructure && previous?.Revision == commit)
        {
            return;
        }

        var entry = new Entry(commit, result.Phase.ToString(), result.Health.ToString(), result.StatusMessage);
        if (entry != previous)
        {
            await WriteAsync(pass, entry, result.Counts.ToDictionary(c => c.Key.ToContract(), c => c.Value), ct);
        }
    }

    private async Task WriteAsync(PassContext pass, Entry entry, IReadOnlyDictionary<string, int> counts, CancellationToken ct)
    {
        fence.EnsureHeld();
        var status = new CommitStatusEntry(cluster, pass.Target.Name, entry.Phase, entry.Health, clock.GetUtcNow(), counts, entry.Message, AgentInfo.Version);
        await store.WriteAsync(pass.Source, entry.Revision, status, ct);
        last[pass.Target.Name] = entry;
    }

    private sealed record Entry(string Revision, string Phase, string Health, string? Message);
}
