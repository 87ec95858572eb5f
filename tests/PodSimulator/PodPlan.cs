using System.Text.Json.Nodes;
using k8s.Models;

namespace GitOps.PodSimulator;

/// <summary>What the simulator does next to one pod: decided from the pod and the clock alone.</summary>
internal abstract record PodStep
{
    /// <summary>Nothing to do now; look again after <see cref="After"/> (null: only when the pod changes).</summary>
    public sealed record Wait(TimeSpan? After) : PodStep;

    public sealed record Bind : PodStep;

    /// <summary>Finish a deletion the way a kubelet does once containers stopped: grace period 0.</summary>
    public sealed record Delete : PodStep;

    /// <summary>Merge-patch the pod's status; the new run (start time, restarts) is remembered.</summary>
    public sealed record Patch(JsonObject Status, PodRun Run, TimeSpan? After) : PodStep;
}

/// <summary>The simulated run of one pod: when its containers (re)started and how often they restarted.</summary>
internal sealed record PodRun(DateTimeOffset Since, int Restarts);

/// <summary>
/// A pod's life on the simulated node, steered by its annotations (<see cref="SimOptions"/>):
/// Pending → Running (Ready after ready-seconds) and, for pods that end (restartPolicy Never or
/// OnFailure), Succeeded or Failed after run-seconds; OnFailure with a non-zero exit restarts the
/// containers in place (restartCount + 1), which is what the Job controller counts against backoffLimit.
/// </summary>
internal static class PodPlan
{
    public static PodStep Decide(V1Pod pod, string node, DateTimeOffset now, PodRun? remembered)
    {
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            return new PodStep.Delete();
        }

        if (string.IsNullOrEmpty(pod.Spec.NodeName))
        {
            return new PodStep.Bind();
        }

        if (pod.Spec.NodeName != node || pod.Status?.Phase is "Succeeded" or "Failed")
        {
            return new PodStep.Wait(null);
        }

        var readyAfter = TimeSpan.FromSeconds(Annotation(pod, SimOptions.ReadySeconds, 0));
        var runFor = TimeSpan.FromSeconds(Annotation(pod, SimOptions.RunSeconds, 1));
        var ends = pod.Spec.RestartPolicy is "Never" or "OnFailure";
        if (pod.Status?.Phase != "Running")
        {
            // A run remembered for a pod still Pending in our copy: our own patch has not come back yet.
            var run = remembered ?? new PodRun(now, 0);
            return new PodStep.Patch(PodStatus.Running(pod, run, ready: readyAfter <= TimeSpan.Zero, now), run, Next(readyAfter, ends ? runFor : null));
        }

        var current = remembered ?? new PodRun(StartedAt(pod) ?? now, RestartCount(pod));
        var elapsed = now - current.Since;
        if (ends && elapsed >= runFor)
        {
            var exitCode = Annotation(pod, SimOptions.ExitCode, 0);
            if (exitCode != 0 && pod.Spec.RestartPolicy == "OnFailure")
            {
                var restarted = new PodRun(now, current.Restarts + 1);
                return new PodStep.Patch(PodStatus.Restarted(pod, current, restarted, exitCode, now, readyAfter <= TimeSpan.Zero), restarted, Next(readyAfter, runFor));
            }

            return new PodStep.Patch(PodStatus.Terminated(pod, current, exitCode, now), current, null);
        }

        var isReady = pod.Status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
        if (!isReady && elapsed >= readyAfter)
        {
            return new PodStep.Patch(PodStatus.Running(pod, current, ready: true, now), current, ends ? runFor - elapsed : null);
        }

        return new PodStep.Wait(Next(isReady ? null : readyAfter - elapsed, ends ? runFor - elapsed : null));
    }

    /// <summary>An annotation's whole number; a missing or unreadable one gives the default.</summary>
    public static int Annotation(V1Pod pod, string name, int fallback) =>
        pod.Metadata.Annotations?.TryGetValue(name, out var text) == true
        && int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : fallback;

    private static TimeSpan? Next(TimeSpan? a, TimeSpan? b)
    {
        var positive = new[] { a, b }.Where(t => t > TimeSpan.Zero).Select(t => t!.Value).ToList();
        return positive.Count == 0 ? null : positive.Min();
    }

    private static DateTimeOffset? StartedAt(V1Pod pod)
    {
        var started = pod.Status?.ContainerStatuses?.Select(c => c.State?.Running?.StartedAt).FirstOrDefault(t => t is not null)
            ?? pod.Status?.StartTime;
        return started is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;
    }

    private static int RestartCount(V1Pod pod) => pod.Status?.ContainerStatuses?.Select(c => c.RestartCount).DefaultIfEmpty(0).Max() ?? 0;
}
