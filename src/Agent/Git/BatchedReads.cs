using System.Collections.Concurrent;
using LibGit2Sharp;

namespace GitOps.Agent.Git;

/// <summary>
/// Reads of one repository (with the same credentials) queued while another runs are served
/// together: one turn of the clone's lock and one open of it for up to <see cref="MaxBatch"/>
/// reads, instead of one each. When 1,000 targets of one branch see a new commit, the first read
/// fetches it and the others read their folders from the same open copy.
/// </summary>
/// <remarks>
/// A caller's token ends its own wait only: the batch it joined runs on for the others (a read
/// whose caller gave up is skipped).
/// </remarks>
internal sealed class BatchedReads(RepositoryCache cache)
{
    /// <summary>Reads per turn of the lock: status notes of the same repository wait no longer than this many reads.</summary>
    public const int MaxBatch = 64;

    private readonly ConcurrentDictionary<(string Repository, GitCredentials? Credentials), Queue> queues = new();

    /// <summary>Turns of the lock taken so far (tests and benchmarks read it).</summary>
    public int Turns => Volatile.Read(ref turns);

    private int turns;

    public Task<SourceRevision> ReadAsync(GitSourceSpec spec, Func<Repository, GitRemote, SourceRevision> read, CancellationToken ct)
    {
        var queue = queues.GetOrAdd((spec.Repository, spec.Credentials), _ => new Queue(spec));
        var job = new Job(read, new TaskCompletionSource<SourceRevision>(TaskCreationOptions.RunContinuationsAsynchronously), ct);
        bool start;
        lock (queue)
        {
            queue.Pending.Enqueue(job);
            start = !queue.Draining;
            queue.Draining = true;
        }

        if (start)
        {
            _ = DrainAsync(queue); // never throws: every job is completed
        }

        return job.Result.Task.WaitAsync(ct);
    }

    private async Task DrainAsync(Queue queue)
    {
        while (true)
        {
            var batch = new List<Job>();
            lock (queue)
            {
                while (batch.Count < MaxBatch && queue.Pending.TryDequeue(out var job))
                {
                    batch.Add(job);
                }

                if (batch.Count == 0)
                {
                    queue.Draining = false;
                    return;
                }
            }

            try
            {
                Interlocked.Increment(ref turns);
                await cache.UseAsync(queue.Spec, (repository, remote) => Run(batch, repository, remote), CancellationToken.None);
            }
            catch (Exception ex)
            {
                foreach (var job in batch)
                {
                    job.Result.TrySetException(ex); // the clone could not be opened: every read of the batch fails alike
                }
            }
        }
    }

    private static bool Run(List<Job> batch, Repository repository, GitRemote remote)
    {
        foreach (var job in batch)
        {
            if (job.Ct.IsCancellationRequested)
            {
                job.Result.TrySetCanceled(job.Ct);
                continue;
            }

            try
            {
                job.Result.TrySetResult(job.Read(repository, remote));
            }
            catch (Exception ex)
            {
                job.Result.TrySetException(ex);
            }
        }

        return true;
    }

    private sealed class Queue(GitSourceSpec spec)
    {
        public GitSourceSpec Spec { get; } = spec;

        public Queue<Job> Pending { get; } = new();

        public bool Draining { get; set; }
    }

    private sealed record Job(Func<Repository, GitRemote, SourceRevision> Read, TaskCompletionSource<SourceRevision> Result, CancellationToken Ct);
}
