using System.Diagnostics;
using GitOps.Agent.Git;
using GitOps.Agent.Kube;
using GitOps.Agent.Sync;
using Microsoft.Extensions.Logging;

namespace GitOps.Agent.Hosting;

/// <summary>What every worker uses.</summary>
internal sealed record WorkerServices(IPassExecutor Passes, IGitSource Git, AgentMetrics Metrics, AgentReadiness Readiness, TimeProvider Clock)
{
    /// <summary>Branch heads shared by the targets that follow the same repository and reference.</summary>
    public SharedHeads Heads { get; init; } = new(Git, Clock);

    /// <summary>The slots passes of all targets share; unbounded unless the host sets one.</summary>
    public PassPool Pool { get; init; } = new(int.MaxValue);

    /// <summary>A number in [0, 1) for jitter; injectable so schedules are testable.</summary>
    public Func<double> Random { get; init; } = System.Random.Shared.NextDouble;

    /// <summary>What the targets reached, for <c>dependsOn</c>; one per agent.</summary>
    public TargetDependencies Dependencies { get; init; } = new();
}

/// <summary>
/// When one target's passes run, and why: every interval (with jitter), at once when a watch
/// event says a member changed or a new commit is announced, with backoff after failures, and
/// at least every resync period. A new commit cuts a backoff or a health wait short. While git
/// is unreachable, drift is still corrected from the last commit read. Passes never overlap;
/// nothing here needs a restart to recover.
/// </summary>
internal sealed partial class TargetWorker(TargetConfig target, AgentConfig config, WorkerServices services, ILogger<TargetWorker> logger)
{
    private readonly WorkerOptions options = config.Worker;
    private readonly SyncTarget syncTarget = target.SyncTarget(config.Namespace);
    private TaskCompletionSource wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource announcement = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool dirty = true;
    private volatile bool following; // the next pass follows the health of the last one (FollowHealth)
    private volatile bool statusMoved; // a member's status changed during the running pass
    private string? lastHead;
    private bool preempted;
    private SourceRevision? lastSource;
    private SyncResult? last;
    private SyncResult? release; // the pass that applied last's revision: what a health follow-up reports (HealthFollowUp.ReleaseOf)
    private DateTimeOffset lastPass;
    private long announcedAt; // UTC ticks: a head must be learned at or after the latest announcement
    private DateTimeOffset lastLearned = DateTimeOffset.MinValue + TimeSpan.FromDays(1); // when the look behind the last head used started

    public string Name => target.Name;

    /// <summary>The ApplySet this worker's target owns; watch events of its members wake it.</summary>
    public string ApplySetId => InventoryStore.IdOf(syncTarget);

    /// <summary>Asks for a pass now (a watched member changed) instead of at the next interval.</summary>
    public void Trigger()
    {
        dirty = true;
        wake.TrySetResult();
    }

    /// <summary>Where this target's manifests come from.</summary>
    public GitSourceSpec Source => target.Source;

    /// <summary>A new commit is announced (a webhook): cut any wait short and look at git now.</summary>
    public void Announce() => Announce(services.Clock.GetUtcNow());

    /// <summary>
    /// A new commit is announced as of <paramref name="seenAt"/> (another target's look at the
    /// same branch found it moved): cut any wait short; a head learned since then is enough.
    /// </summary>
    public void Announce(DateTimeOffset seenAt)
    {
        RaiseTo(ref announcedAt, seenAt.UtcTicks);
        announcement.TrySetResult();
        Trigger();
    }

    public async Task RunAsync(CancellationToken leading)
    {
        // A new term of leadership starts from scratch: another replica may have synced meanwhile.
        (last, lastSource, dirty) = (null, null, true);
        services.Dependencies.Subscribe(target.Name, Trigger);
        var failures = 0;
        while (!leading.IsCancellationRequested)
        {
            var ok = await PassSafelyAsync(leading);
            failures = ok ? 0 : failures + 1;
            var delay = preempted ? TimeSpan.Zero : ok ? Jitter(target.Interval) : Backoff(failures);
            preempted = false; // a newer commit cut the last pass short: it goes next, at once
            await WaitAsync(delay, backingOff: !ok, leading);
        }
    }

    /// <summary>One scheduling step: returns false when it failed and the next one backs off.</summary>
    internal async Task<bool> PassSafelyAsync(CancellationToken ct)
    {
        try
        {
            return await StepAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return true; // leadership lost or shutting down: stop, quietly
        }
        catch (FenceLostException ex)
        {
            LogFenced(logger, target.Name, ex.Message);
            return true; // the term ends; the gate campaigns again
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // Whatever failed, this target's loop must live on: log, count, back off, retry.
            dirty = true;
            services.Metrics.RecordError(target.Name, "internal");
            LogPassError(logger, target.Name, ex.GetType().Name, UrlRedactor.Redact(ex.Message));
            return false;
        }
    }

    private async Task<bool> StepAsync(CancellationToken ct)
    {
        var announced = announcement.Task.IsCompleted;
        if (announced)
        {
            announcement = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        var (head, gitError) = await HeadAsync(ct);
        ReportGit(gitError);
        lastHead = head ?? lastHead;
        if (head is null && lastSource is null)
        {
            // Nothing to sync from yet: the pass itself reports why (no such branch, git down) in an Event.
            return await PassAsync(new PassRequest(syncTarget, target.Source), head, PassUrgency.Triggered, ct) && gitError is null;
        }

        var commit = head ?? lastSource!.CommitSha;
        if (!NeedsPass(commit))
        {
            return gitError is null; // same commit, synced, nothing moved: no render, no request
        }

        services.Dependencies.Publish(target.Name, commit, last, []);
        if (DependencyWait(commit) is { } why)
        {
            LogWaitingForDependency(logger, target.Name, commit, why);
            return true; // woken when a dependency publishes
        }

        var known = lastSource?.CommitSha == commit && (gitError is not null || !announced) ? lastSource : null;
        var urgency = announced || dirty || last is null || last.Revision != commit ? PassUrgency.Triggered : PassUrgency.Routine;
        var followUp = following && release?.Revision == commit ? release : null;
        var ok = await PassAsync(new PassRequest(syncTarget, target.Source) { Known = known, Head = head, Fallback = lastSource, Timeout = target.Timeout, FollowUp = followUp }, commit, urgency, ct);
        return ok && gitError is null;
    }

    private async Task<(string? Head, string? Error)> HeadAsync(CancellationToken ct)
    {
        try
        {
            // A head another follower of this branch learned within the last interval (or since
            // the latest announcement) is as good as our own ls-remote: one per repository and interval.
            // It must also be newer than the one this worker used last time: with jitter, its own
            // previous look can be younger than an interval, and reusing it would miss a push.
            var notBefore = Max(services.Clock.GetUtcNow() - target.Interval, lastLearned) + TimeSpan.FromTicks(1);
            var announced = new DateTimeOffset(Interlocked.Read(ref announcedAt), TimeSpan.Zero);
            var learned = await services.Heads.LearnAsync(target.Source, Max(announced, notBefore), ct);
            lastLearned = Max(lastLearned, learned.At);
            return (learned.Head, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Whatever stops git (the remote, a full or corrupt cache folder), the worker lives on.
            services.Metrics.RecordError(target.Name, "source");
            return (null, UrlRedactor.Redact(ex.Message));
        }
    }

    private void ReportGit(string? error)
    {
        services.Metrics.SetReachable("git", target.Name, error is null);
        services.Readiness.Report($"git/{target.Name}", error is null ? null : $"cannot reach the repository (drift is still corrected from the last commit read): {error}");
        if (error is not null)
        {
            LogGitDown(logger, target.Name, error);
        }
    }

    /// <summary>A new revision (not the one the cluster is at) waits until every dependency is Synced and Healthy at its head.</summary>
    private string? DependencyWait(string commit) =>
        target.DependsOn.Count == 0 || last?.ClusterRevision == commit ? null : services.Dependencies.NotReady(target.DependsOn, SameBranchAt(commit));

    /// <summary>
    /// A dependency on the same repository and branch must have reached this very commit: one push
    /// wakes both, and a dependency that has not looked yet still shows its older head as done.
    /// </summary>
    private Func<string, string?> SameBranchAt(string commit) => name =>
        config.Targets.FirstOrDefault(t => t.Name == name) is { } d
        && d.Source.Repository == target.Source.Repository && d.Source.Reference == target.Source.Reference ? commit : null;

    // A target that impersonates an account reads live state by LIST, not through the shared watches,
    // so no event marks it dirty: it corrects drift by a full pass every interval instead.
    private bool NeedsPass(string commit) =>
        dirty || target.ServiceAccount is not null || last is null || last.Revision != commit || last.Phase != SyncPhase.Synced
        || services.Clock.GetUtcNow() - lastPass >= options.ResyncPeriod;

    /// <param name="commit">The commit this pass syncs (the branch head it saw), when known: a different head preempts its health wait.</param>
    private async Task<bool> PassAsync(PassRequest request, string? commit, PassUrgency urgency, CancellationToken ct)
    {
        using var slot = await services.Pool.EnterAsync(urgency, ct);
        dirty = false; // events during this pass mark it again
        (following, statusMoved) = (false, false);
        lastPass = services.Clock.GetUtcNow();
        var started = services.Clock.GetTimestamp();
        using var preempt = new CancellationTokenSource();
        using var passDone = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var watcher = request.Timeout is null ? Task.CompletedTask : WatchForNewCommitAsync(commit, preempt, passDone.Token);
        PassOutcome outcome;
        try
        {
            outcome = await services.Passes.RunAsync(request with { Preempt = preempt.Token, EngineDone = slot.Dispose }, ct);
        }
        finally
        {
            await passDone.CancelAsync();
            await watcher;
        }

        ct.ThrowIfCancellationRequested(); // a pass that lost leadership tells nothing more
        lastSource = outcome.Source ?? lastSource;
        last = outcome.Result;
        release = HealthFollowUp.ReleaseOf(release, last);
        services.Dependencies.Publish(target.Name, commit ?? last.Revision, last, config.Targets.Where(t => t.DependsOn.Contains(target.Name)).Select(t => t.Name));
        services.Metrics.RecordPass(target.Name, outcome.Result, services.Clock.GetElapsedTime(started));
        if (statusMoved)
        {
            FollowHealth(); // the rollout may have finished after the pass judged health: look again
        }
        if (outcome.Result.Phase != SyncPhase.Synced)
        {
            dirty = true; // the next attempt is a full pass
        }

        return outcome.Result.Phase == SyncPhase.Synced;
    }

    private TimeSpan Jitter(TimeSpan interval) => interval * (1 - options.Jitter + (services.Random() * 2 * options.Jitter));

    internal TimeSpan Backoff(int failures) =>
        Min(options.BackoffMax, TimeSpan.FromTicks(options.BackoffInitial.Ticks << Math.Clamp(failures - 1, 0, 20)));

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static void RaiseTo(ref long field, long value)
    {
        for (var known = Interlocked.Read(ref field); known < value; known = Interlocked.Read(ref field))
        {
            if (Interlocked.CompareExchange(ref field, value, known) == known)
            {
                return;
            }
        }
    }
}
