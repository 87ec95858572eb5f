using System.Collections.Concurrent;
using System.Threading.Channels;
using GitOps.Agent.Git;
using GitOps.Agent.Hosting;
using GitOps.Agent.Sync;
using GitOps.Diff.Health;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Agent.Tests.Hosting;

/// <summary>A remote whose branch head the test moves, or takes offline.</summary>
internal sealed class ScriptedGit(FakeTimeProvider clock) : IGitSource
{
    public string Head { get; set; } = new('a', 40);

    public bool Down { get; set; }

    /// <summary>Fake times of every ls-remote.</summary>
    public ConcurrentQueue<TimeSpan> LsRemotes { get; } = new();

    public DateTimeOffset Start { get; } = clock.GetUtcNow();

    public Task<SourceRevision> GetRevisionAsync(GitSourceSpec spec, string? revision, CancellationToken ct) =>
        Down ? Task.FromException<SourceRevision>(new GitSourceException("repository r: cannot connect")) : Task.FromResult(Revision(Head));

    public Task<string?> HeadAsync(GitSourceSpec spec, CancellationToken ct)
    {
        LsRemotes.Enqueue(clock.GetUtcNow() - Start);
        return Down ? Task.FromException<string?>(new GitSourceException("repository r: cannot connect")) : Task.FromResult<string?>(Head);
    }

    public static SourceRevision Revision(string sha) => new(sha, "refs/heads/main", [], "commit " + sha[..7]);
}

/// <summary>A pass that answers as scripted and tells the test when it ran (and with what).</summary>
internal sealed class ScriptedPasses(FakeTimeProvider clock, DateTimeOffset start) : IPassExecutor
{
    private int preemptions;
    private readonly Channel<(TimeSpan At, PassRequest Request)> runs = Channel.CreateUnbounded<(TimeSpan, PassRequest)>();

    public SyncPhase Phase { get; set; } = SyncPhase.Synced;

    /// <summary>When set, a pass waits (like a health wait) until it is preempted or cancelled.</summary>
    public bool HangUntilPreempted { get; set; }

    public ChannelReader<(TimeSpan At, PassRequest Request)> Runs => runs.Reader;

    /// <summary>How many health waits were cut short.</summary>
    public int Preemptions => Volatile.Read(ref preemptions);

    public async Task<PassOutcome> RunAsync(PassRequest request, CancellationToken ct)
    {
        var source = request.Known ?? ScriptedGit.Revision(new string('a', 40));
        runs.Writer.TryWrite((clock.GetUtcNow() - start, request));
        var preempted = false;
        if (HangUntilPreempted)
        {
            using var both = CancellationTokenSource.CreateLinkedTokenSource(ct, request.Preempt);
            try
            {
                await Task.Delay(Timeout.Infinite, both.Token);
            }
            catch (OperationCanceledException) when (request.Preempt.IsCancellationRequested)
            {
                preempted = true;
                Interlocked.Increment(ref preemptions);
            }
        }

        var result = new SyncResult(source.CommitSha, "app", Phase, HealthStatus.Healthy, preempted ? "preempted" : "ok", []);
        return new PassOutcome(result, source, null);
    }
}
