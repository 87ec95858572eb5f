using System.Diagnostics;
using GitOps.Agent.Git;
using GitOps.Agent.Kube;
using GitOps.Agent.Sync;
using GitOps.Diff.Drift;
using GitOps.Diff.Render;
using Microsoft.Extensions.Logging;

namespace GitOps.Agent.Hosting;

/// <summary>
/// The loop of one target: a pass every interval (with jitter, so replicas of many agents do not
/// hit a git server in step), exponential backoff after errors, passes never overlapping. A
/// pass that cannot reach git or the API server keeps the cluster as it is, reports, and is
/// retried; nothing here needs a restart to recover.
/// </summary>
internal sealed partial class TargetWorker(
    TargetConfig target, AgentConfig config, PassServices services, ILogger<TargetWorker> logger)
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan TriggerSettle = TimeSpan.FromMilliseconds(500);

    /// <summary>A full pass at least this often, even when no watch event said anything moved.</summary>
    private static readonly TimeSpan ResyncPeriod = TimeSpan.FromMinutes(10);
    private TaskCompletionSource wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Outcome? last;
    private volatile bool dirty = true;
    private DateTimeOffset lastPass;
    private SourceRevision? lastSource;
    private DateTimeOffset lastGitCheck;
    private bool woken;

    public string Name => target.Name;

    /// <summary>The ApplySet this worker's target owns; watch events of its members wake it.</summary>
    public string ApplySetId => InventoryStore.IdOf(target.SyncTarget(config.Namespace));

    /// <summary>Asks for a pass now (a watched object changed) instead of at the next interval.</summary>
    public void Trigger()
    {
        dirty = true;
        wake.TrySetResult();
    }

    public async Task RunAsync(CancellationToken leading)
    {
        // A new term of leadership starts from scratch: another replica may have synced meanwhile.
        (last, dirty) = (null, true);
        var failures = 0;
        while (!leading.IsCancellationRequested)
        {
            var ok = await PassSafelyAsync(leading);
            failures = ok ? 0 : failures + 1;
            await WaitAsync(ok ? Jitter(target.Interval) : Backoff(failures), leading);
        }
    }

    private async Task<bool> PassSafelyAsync(CancellationToken ct)
    {
        try
        {
            return await PassAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return true; // leadership lost or shutting down: stop writing, quietly
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // Whatever failed, this target's loop must live on: log, count, back off, retry.
            dirty = true; // the next attempt is a full pass
            services.Metrics.RecordError(target.Name, ex switch
            {
                HttpRequestException or KubeApiException or TaskCanceledException => "cluster",
                GitSourceException or LibGit2Sharp.LibGit2SharpException => "source",
                _ => "internal",
            });
            LogPassError(logger, target.Name, ex.GetType().Name, UrlRedactor.Redact(ex.Message));
            return false;
        }
    }

    private async Task<bool> PassAsync(CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var revision = await RevisionAsync(ct);
        using var scope = logger.BeginScope(new PassScope(target.Name, revision.CommitSha));
        if (!NeedsPass(revision.CommitSha))
        {
            return true; // same commit, synced, and no watch event since: nothing to render or ask
        }

        dirty = false; // events during this pass mark it again
        lastPass = services.Clock.GetUtcNow();
        var syncTarget = target.SyncTarget(config.Namespace);
        if (last?.Revision != revision.CommitSha)
        {
            await TryWriteNoteAsync(revision.CommitSha, Entry(SyncPhaseText.Progressing, "Unknown", "sync started", new Dictionary<string, int>()), ct);
        }

        var files = revision.Files.Select(f => new ManifestFile(f.Path, f.Content)).ToList();
        SyncResult result;
        try
        {
            result = await services.Engine.RunAsync(new SyncRequest(syncTarget, revision.CommitSha, files) { Timeout = target.Timeout }, ct);
        }
        catch (HttpRequestException ex)
        {
            // The API server is unreachable: nothing was judged, the cluster keeps its state; say so on the commit.
            services.Metrics.RecordError(target.Name, "cluster");
            result = new SyncResult(revision.CommitSha, target.Name, SyncPhase.Failed, Diff.Health.HealthStatus.Unknown, $"cannot reach the API server: {ex.Message}", []);
        }

        ct.ThrowIfCancellationRequested(); // a pass that lost leadership reports nothing
        services.Metrics.RecordPass(target.Name, result, Stopwatch.GetElapsedTime(started));
        await ReportAsync(revision.CommitSha, result, ct); // the note first: it is the contract, events are extra
        await services.Events.RecordAsync(syncTarget, result, ct);
        LogPass(logger, target.Name, revision.CommitSha, result.Phase, result.Health, result.Message);
        foreach (var o in result.Objects.Where(o => o.Action != SyncAction.Unchanged))
        {
            LogObject(logger, target.Name, revision.CommitSha, o.Key, o.Action, o.Message ?? string.Empty);
        }

        ReturnMemory();
        return result.Phase == SyncPhase.Synced;
    }

    /// <summary>
    /// A pass builds every desired and live object of its target, then the agent idles. Giving
    /// that memory back right away keeps an agent at rest small (a 5,000-object target would
    /// otherwise sit on the peak of its last pass until the next gen-2 collection).
    /// </summary>
    private static void ReturnMemory() =>
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    /// <summary>A pass woken by a watch event reuses the commit checked less than an interval ago: no git request.</summary>
    private async Task<SourceRevision> RevisionAsync(CancellationToken ct)
    {
        var now = services.Clock.GetUtcNow();
        if (woken && lastSource is not null && now - lastGitCheck < target.Interval)
        {
            return lastSource;
        }

        lastSource = await services.Git.GetRevisionAsync(target.Source, null, ct);
        lastGitCheck = now;
        return lastSource;
    }

    private bool NeedsPass(string revision) =>
        dirty || last is null || last.Revision != revision || last.Phase != SyncPhase.Synced
        || services.Clock.GetUtcNow() - lastPass > ResyncPeriod;

    /// <summary>A note when the revision or its outcome changes; a steady state writes nothing to git.</summary>
    private async Task ReportAsync(string revision, SyncResult result, CancellationToken ct)
    {
        var outcome = new Outcome(revision, result.Phase, result.Health.ToString());
        if (outcome == last)
        {
            return;
        }

        var message = result.StatusMessage; // a Synced pass: the counts say it all
        var counts = result.Counts.ToDictionary(c => c.Key.ToContract(), c => c.Value);
        if (await TryWriteNoteAsync(revision, Entry(result.Phase.ToString(), result.Health.ToString(), message, counts), ct))
        {
            last = outcome; // otherwise the next pass tries again
        }
    }

    /// <summary>A note that cannot be pushed is logged and counted; it never fails the sync itself.</summary>
    private async Task<bool> TryWriteNoteAsync(string revision, CommitStatusEntry entry, CancellationToken ct)
    {
        try
        {
            await services.Notes.WriteAsync(target.Source, revision, entry, ct);
            return true;
        }
        catch (Exception ex) when (ex is GitSourceException or LibGit2Sharp.LibGit2SharpException)
        {
            services.Metrics.RecordError(target.Name, "notes");
            LogNoteError(logger, target.Name, revision, UrlRedactor.Redact(ex.Message));
            return false;
        }
    }

    private CommitStatusEntry Entry(string phase, string health, string? message, IReadOnlyDictionary<string, int> counts) =>
        new(config.Cluster, target.Name, phase, health, services.Clock.GetUtcNow(), counts, message, AgentInfo.Version);

    private async Task WaitAsync(TimeSpan delay, CancellationToken ct)
    {
        // WhenAny never throws: cancellation simply ends the wait, and the loop sees the token.
        woken = await Task.WhenAny(Task.Delay(delay, services.Clock, ct), wake.Task) == wake.Task;
        if (woken)
        {
            // Let the burst of events settle (an apply of many objects) so one pass sees them all.
            await Task.WhenAny(Task.Delay(TriggerSettle, services.Clock, ct));
        }

        wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private static TimeSpan Jitter(TimeSpan interval) => interval * (0.9 + (Random.Shared.NextDouble() * 0.2));

    private static TimeSpan Backoff(int failures) =>
        TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, 2 * Math.Pow(2, Math.Min(failures, 10))));

    private sealed record Outcome(string Revision, SyncPhase Phase, string Health);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "pass {Target} at {Revision}: {Phase} {Health}: {Summary}")]
    private static partial void LogPass(ILogger logger, string target, string revision, SyncPhase phase, GitOps.Diff.Health.HealthStatus health, string summary);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "{Target} at {Revision}: {Object} {Action} {Detail}")]
    private static partial void LogObject(ILogger logger, string target, string revision, GitOps.Diff.Identity.ResourceKey @object, SyncAction action, string detail);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "status note for {Target} at {Revision} not written: {Error}")]
    private static partial void LogNoteError(ILogger logger, string target, string revision, string error);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "pass {Target} failed ({Kind}): {Error}; retrying with backoff")]
    private static partial void LogPassError(ILogger logger, string target, string kind, string error);
}

/// <summary>What every pass uses, shared by the target workers.</summary>
internal sealed record PassServices(SyncEngine Engine, IGitSource Git, ICommitStatusStore Notes, EventRecorder Events, AgentMetrics Metrics, TimeProvider Clock);

internal static class SyncPhaseText
{
    public const string Progressing = "Progressing";
}

/// <summary>Log scope of a pass: JSON logs carry target and revision as fields.</summary>
internal sealed class PassScope(string target, string revision) : IReadOnlyList<KeyValuePair<string, object>>
{
    private readonly KeyValuePair<string, object>[] fields = [new("target", target), new("revision", revision)];

    public int Count => fields.Length;

    public KeyValuePair<string, object> this[int index] => fields[index];

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object>>)fields).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => fields.GetEnumerator();

    public override string ToString() => $"target={fields[0].Value} revision={fields[1].Value}";
}
