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
/// The Progressing write is started, not awaited: the pass applies while it is pushed (with 1,000
/// targets a pass waiting for it held its pool slot a second or more). <see cref="FinishedAsync"/>
/// settles it: the final entry is written after it (queued behind it when the store keeps call
/// order, else once it is done), and a Progressing write that failed is thrown from there.
/// </summary>
internal sealed class NoteReporter(ICommitStatusStore store, string cluster, TimeProvider clock, IWriteFence fence) : IPassReporter
{
    public const string Progressing = "Progressing";

    private readonly ConcurrentDictionary<string, Entry> last = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (Entry Entry, Task Write)> started = new(StringComparer.Ordinal);

    /// <summary>Forget what was written for these targets: another replica may have written since (a new term of their Lease).</summary>
    public void Forget(IEnumerable<string> targets)
    {
        foreach (var target in targets)
        {
            last.TryRemove(target, out _);
            started.TryRemove(target, out _);
        }
    }

    public Task ProgressingAsync(PassContext pass, CancellationToken ct)
    {
        if (pass.Commit is null || last.GetValueOrDefault(pass.Target.Name)?.Revision == pass.Commit)
        {
            return Task.CompletedTask; // correcting drift on a commit already reported: its verdict stands until the pass ends
        }

        var entry = new Entry(pass.Commit, Progressing, "Unknown", "sync started");
        var write = StartWrite(pass, entry, new Dictionary<string, int>(), ct); // a bad entry or a lost fence throws here, at once
        started[pass.Target.Name] = (entry, write);
        return Task.CompletedTask;
    }

    public async Task FinishedAsync(PassContext pass, SyncResult result, bool infrastructure, CancellationToken ct)
    {
        (Entry Entry, Task Write)? progressing = started.TryRemove(pass.Target.Name, out var s) ? s : null;
        Exception? failed = null;
        if (progressing is { } early && !store.KeepsCallOrder)
        {
            failed = await SettleAsync(pass, early.Entry, early.Write);
        }

        try
        {
            await WriteOutcomeAsync(pass, result, infrastructure, progressing?.Entry, ct);
        }
        finally
        {
            if (progressing is { } queued && store.KeepsCallOrder)
            {
                failed = await SettleAsync(pass, queued.Entry, queued.Write);
            }
        }

        if (failed is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failed); // a Progressing push that failed is reported as before
        }
    }

    private async Task WriteOutcomeAsync(PassContext pass, SyncResult result, bool infrastructure, Entry? progressing, CancellationToken ct)
    {
        if (pass.Commit is not { Length: > 0 } commit)
        {
            return;
        }

        var previous = progressing ?? last.GetValueOrDefault(pass.Target.Name);
        if (infrastructure && previous?.Revision == commit)
        {
            return;
        }

        var entry = new Entry(commit, result.Phase.ToString(), result.Health.ToString(), result.StatusMessage);
        if (entry != previous)
        {
            await StartWrite(pass, entry, result.Counts.ToDictionary(c => c.Key.ToContract(), c => c.Value), ct);
            last[pass.Target.Name] = entry;
        }
    }

    /// <summary>Waits for a Progressing write; records it when it was written, returns its failure when not (a cancelled one is superseded by the final entry).</summary>
    private async Task<Exception?> SettleAsync(PassContext pass, Entry entry, Task write)
    {
        try
        {
            await write;
            if (last.GetValueOrDefault(pass.Target.Name)?.Revision != entry.Revision)
            {
                last[pass.Target.Name] = entry; // unless the outcome of the same commit was written after it
            }

            return null;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    private Task StartWrite(PassContext pass, Entry entry, IReadOnlyDictionary<string, int> counts, CancellationToken ct)
    {
        fence.EnsureHeld();
        var status = new CommitStatusEntry(cluster, pass.Target.Name, entry.Phase, entry.Health, clock.GetUtcNow(), counts, entry.Message, AgentInfo.Version);
        return store.WriteAsync(pass.Source, entry.Revision, status, ct);
    }

    private sealed record Entry(string Revision, string Phase, string Health, string? Message);
}
