using System.Collections.Concurrent;

namespace GitOps.Agent.Git;

/// <summary>
/// One ls-remote for all targets that follow the same repository and reference with the same
/// credentials (a target never learns a head through another target's token): a head learned
/// at or after the moment a caller asks about is shared, an ls-remote in flight is joined, and
/// a head that moved is announced, so the other followers sync it without asking git again.
/// With 1,000 targets on one branch a quiet interval costs one ls-remote instead of 1,000.
/// </summary>
/// <remarks>
/// A failure is shared like a head (a remote that is down is not asked 1,000 times either).
/// The ls-remote itself is never cancelled by one caller: others may be waiting for it, and
/// libgit2's ls-remote cannot be interrupted anyway; a caller's token only ends its own wait.
/// </remarks>
internal sealed class SharedHeads(IGitSource git, TimeProvider clock)
{
    private readonly ConcurrentDictionary<(string Repository, string Reference, GitCredentials? Credentials), Lookup> lookups = new();
    private readonly ConcurrentDictionary<(string Repository, string Reference, GitCredentials? Credentials), string?> learned = new();
    private readonly Lock gate = new();

    /// <summary>
    /// Raised when a lookup finds a head other than the one before it, with the repository,
    /// reference, new head and the moment the lookup started (at or after which it is true).
    /// </summary>
    public event Action<string, string, string?, DateTimeOffset>? Moved;

    /// <summary>ls-remotes run so far.</summary>
    public int Lookups { get; private set; }

    /// <summary>
    /// The head of <paramref name="spec"/>'s reference as learned by an ls-remote started at or
    /// after <paramref name="notBefore"/>: a finished or running one when there is, else a new one.
    /// </summary>
    /// <exception cref="GitSourceException">That ls-remote failed.</exception>
    public async Task<string?> HeadAsync(GitSourceSpec spec, DateTimeOffset notBefore, CancellationToken ct) =>
        (await LearnAsync(spec, notBefore, ct)).Head;

    /// <summary>As <see cref="HeadAsync"/>, with the moment the ls-remote that learned it started.</summary>
    /// <exception cref="GitSourceException">That ls-remote failed.</exception>
    public async Task<LearnedHead> LearnAsync(GitSourceSpec spec, DateTimeOffset notBefore, CancellationToken ct)
    {
        var key = (spec.Repository, spec.Reference, spec.Credentials);
        Lookup lookup;
        var mine = false;
        lock (gate)
        {
            if (!lookups.TryGetValue(key, out var known) || known.Started < notBefore)
            {
                known = new Lookup(clock.GetUtcNow(), new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously));
                lookups[key] = known;
                Lookups++;
                mine = true;
            }

            lookup = known;
        }

        if (mine)
        {
            _ = LookUpAsync(spec, lookup); // started outside the lock; it completes the lookup, never throws
        }

        return new LearnedHead(await lookup.Head.Task.WaitAsync(ct), lookup.Started);
    }

    private async Task LookUpAsync(GitSourceSpec spec, Lookup lookup)
    {
        string? head;
        try
        {
            head = await git.HeadAsync(spec, CancellationToken.None);
        }
        catch (Exception ex)
        {
            lookup.Head.SetException(ex);
            return;
        }

        var key = (spec.Repository, spec.Reference, spec.Credentials);
        var moved = learned.TryGetValue(key, out var before) && before != head;
        learned[key] = head;
        lookup.Head.SetResult(head);
        if (moved)
        {
            Moved?.Invoke(spec.Repository, spec.Reference, head, lookup.Started);
        }
    }

    private sealed record Lookup(DateTimeOffset Started, TaskCompletionSource<string?> Head);
}

/// <summary>A branch head, and when the ls-remote that found it started.</summary>
internal sealed record LearnedHead(string? Head, DateTimeOffset At);
