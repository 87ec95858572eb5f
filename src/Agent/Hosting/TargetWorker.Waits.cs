using GitOps.Agent.Sync;

namespace GitOps.Agent.Hosting;

/// <summary>How a worker waits: for its next interval (cut short by events and new commits), and during a health wait.</summary>
internal sealed partial class TargetWorker
{
    /// <summary>
    /// Only the status of a member changed. A pass does not wait for health unless the target has
    /// a timeout, so a rollout that finishes after it would stay "Synced Progressing" until the
    /// resync: while the last pass is Synced but not Healthy, this wakes a pass that, finding
    /// nothing to write, reports the same revision again with the health now seen (see
    /// <see cref="HealthFollowUp"/>). Once Healthy (or Failed) status changes wake nothing.
    /// </summary>
    public void FollowHealth()
    {
        statusMoved = true;
        if (last is { Phase: SyncPhase.Synced, Health: not Diff.Health.HealthStatus.Healthy })
        {
            following = true;
            Trigger();
        }
    }

    /// <summary>During a health wait, looks at git every interval; a new commit preempts the wait.</summary>
    private async Task WatchForNewCommitAsync(string? pinned, CancellationTokenSource preempt, CancellationToken passDone)
    {
        try
        {
            while (!passDone.IsCancellationRequested)
            {
                var announced = await Task.WhenAny(Task.Delay(target.Interval, services.Clock, passDone), announcement.Task) == announcement.Task;
                if (passDone.IsCancellationRequested)
                {
                    return;
                }

                var (head, _) = await HeadAsync(passDone);
                if (head is not null && pinned is not null && head != pinned)
                {
                    preempted = true;
                    LogPreempted(logger, target.Name);
                    await preempt.CancelAsync();
                    return;
                }

                if (announced)
                {
                    // The branch is still at the commit this pass syncs: the announcement was of this
                    // very commit (this target's own look found it moved, or a hook for it came late).
                    announcement = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                pinned ??= head;
            }
        }
        catch (OperationCanceledException)
        {
            // the pass ended first
        }
    }

    private async Task WaitAsync(TimeSpan delay, bool backingOff, CancellationToken ct)
    {
        // A backoff still looks at git every interval: a new commit ends it early.
        var deadline = services.Clock.GetUtcNow() + delay;
        while (!ct.IsCancellationRequested && services.Clock.GetUtcNow() < deadline)
        {
            var step = Min(deadline - services.Clock.GetUtcNow(), target.Interval);
            var woken = await Task.WhenAny(Task.Delay(step, services.Clock, ct), wake.Task) == wake.Task;
            if (woken)
            {
                // Let the burst of events settle (an apply of many objects) so one pass sees them all;
                // an announced push needs less: the forge sends one delivery per push and hook.
                var settle = announcement.Task.IsCompleted ? options.AnnounceSettle : options.TriggerSettle;
                await Task.WhenAny(Task.Delay(settle, services.Clock, ct));
                break;
            }

            if (backingOff && services.Clock.GetUtcNow() < deadline && await NewCommitWaitingAsync(ct))
            {
                break;
            }
        }

        ResetWake();
    }

    private async Task<bool> NewCommitWaitingAsync(CancellationToken ct)
    {
        var (head, _) = await HeadAsync(ct);
        return head is not null && head != lastHead;
    }

    private void ResetWake()
    {
        if (wake.Task.IsCompleted)
        {
            wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }
}
