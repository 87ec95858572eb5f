using System.Collections.Concurrent;

namespace GitOps.Agent.Git;

/// <summary>
/// Coalesces the note writes of many targets of one repository into one notes commit and one
/// push per flush, on average at most one flush per <see cref="MinInterval"/> per repository
/// (two may follow each other at once): with 1,000
/// targets the notes ref is pushed a few times per round of passes instead of 2,000 times one
/// after another. Each caller's write completes (or fails) with the flush that carried it; each
/// entry still replaces only its own (cluster, target) entry, on top of other clusters' writes.
/// Writes are queued as they are called and flushed in that order (one loop per repository, and
/// within a flush the later entry of a key wins), so it <see cref="KeepsCallOrder"/>.
/// </summary>
public sealed class NoteBatcher(GitNotesStatus store, TimeProvider? time = null) : ICommitStatusStore
{
    private readonly GitNotesStatus store = store;
    private readonly TimeProvider clock = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, Queue> queues = new(StringComparer.Ordinal);

    /// <summary>The least time between two flushes of one repository (default 1 s).</summary>
    public TimeSpan MinInterval { get; init; } = TimeSpan.FromSeconds(1);

    public Task WriteAsync(GitSourceSpec repository, string commitSha, CommitStatusEntry entry, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(entry);
        StatusNote.Validate(entry); // a bad entry fails its own caller, never the batch it would join
        if (!LibGit2Sharp.ObjectId.TryParse(commitSha, out _))
        {
            throw new ArgumentException($"'{commitSha}' is not a full commit SHA", nameof(commitSha));
        }

        var pending = new Pending(commitSha, entry);
        var key = $"{RepositoryLocation.Parse(repository.Repository).CacheKey}\n{repository.Credentials}";
        queues.GetOrAdd(key, _ => new Queue(this, repository)).Add(pending);
        return pending.Done.Task.WaitAsync(ct);
    }

    public bool KeepsCallOrder => true;

    public Task<IReadOnlyList<CommitStatus>> ReadStatusAsync(GitSourceSpec repository, string branch, int count, CancellationToken ct) =>
        store.ReadStatusAsync(repository, branch, count, ct);

    private sealed record Pending(string CommitSha, CommitStatusEntry Entry)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>One repository's writes waiting for the next flush, and the one loop that flushes them.</summary>
    private sealed class Queue(NoteBatcher owner, GitSourceSpec repository)
    {
        private readonly Lock gate = new();
        private List<Pending> waiting = [];
        private bool flushing;
        private long? previous;

        public void Add(Pending pending)
        {
            lock (gate)
            {
                waiting.Add(pending);
                if (flushing)
                {
                    return; // the running loop takes it with the next flush
                }

                flushing = true;
            }

            _ = Task.Run(FlushLoopAsync);
        }

        private async Task FlushLoopAsync()
        {
            while (true)
            {
                List<Pending> batch;
                lock (gate)
                {
                    if (waiting.Count == 0)
                    {
                        flushing = false;
                        return;
                    }

                    (batch, waiting) = (waiting, []);
                }

                var started = owner.clock.GetTimestamp();
                await FlushAsync(batch);
                // At most two flushes in any two intervals: one pass's Progressing and Synced both go
                // out at once, while a steady stream of writers still averages one push an interval.
                var wait = previous is { } before ? (owner.MinInterval * 2) - owner.clock.GetElapsedTime(before) : TimeSpan.Zero;
                previous = started;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, owner.clock); // writes arriving meanwhile share the next push
                }
            }
        }

        private async Task FlushAsync(List<Pending> batch)
        {
            try
            {
                await owner.store.WriteManyAsync(repository, batch.Select(p => (p.CommitSha, p.Entry)).ToList(), CancellationToken.None);
                batch.ForEach(p => p.Done.TrySetResult());
            }
            catch (Exception ex)
            {
                batch.ForEach(p => p.Done.TrySetException(ex));
            }
        }
    }
}
