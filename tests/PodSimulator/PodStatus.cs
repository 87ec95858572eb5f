using System.Text.Json.Nodes;
using k8s.Models;

namespace GitOps.PodSimulator;

/// <summary>
/// Pod status bodies as a kubelet writes them (merge patches of <c>status</c>: the lists given
/// here replace the pod's lists whole, which is what a kubelet's status manager does too).
/// </summary>
internal static class PodStatus
{
    private static int nextIp;

    /// <param name="now">When readiness last changed, if it changes now (the conditions' transition time).</param>
    public static JsonObject Running(V1Pod pod, PodRun run, bool ready, DateTimeOffset now) =>
        Status(pod, "Running", run, ready, now, pod.Spec.Containers.Select(c => Container(pod, c, run, ready, new JsonObject
        {
            ["running"] = new JsonObject { ["startedAt"] = Time.Format(run.Since) },
        })));

    /// <summary>OnFailure after a non-zero exit: the containers start again in place.</summary>
    public static JsonObject Restarted(V1Pod pod, PodRun previous, PodRun run, int exitCode, DateTimeOffset now, bool ready)
    {
        var status = Running(pod, run, ready, now);
        foreach (var container in status["containerStatuses"]!.AsArray())
        {
            container!["lastState"] = Terminated(exitCode, previous.Since, now);
        }

        return status;
    }

    public static JsonObject Terminated(V1Pod pod, PodRun run, int exitCode, DateTimeOffset now) =>
        Status(pod, exitCode == 0 ? "Succeeded" : "Failed", run, ready: false, now,
            pod.Spec.Containers.Select(c => Container(pod, c, run, ready: false, Terminated(exitCode, run.Since, now))));

    private static JsonObject Terminated(int exitCode, DateTimeOffset started, DateTimeOffset finished) => new()
    {
        ["terminated"] = new JsonObject
        {
            ["exitCode"] = exitCode,
            ["reason"] = exitCode == 0 ? "Completed" : "Error",
            ["startedAt"] = Time.Format(started),
            ["finishedAt"] = Time.Format(finished),
        },
    };

    private static JsonObject Status(V1Pod pod, string phase, PodRun run, bool ready, DateTimeOffset now, IEnumerable<JsonObject> containers)
    {
        var ip = pod.Status?.PodIP ?? NextIp();
        var done = phase != "Running";
        var notReady = done ? "PodCompleted" : "ContainersNotReady";
        var message = done ? null : $"containers with unready status: [{string.Join(" ", pod.Spec.Containers.Select(c => c.Name))}]";
        var startTime = pod.Status?.StartTime is { } t ? Time.Format(new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc))) : Time.Format(run.Since);
        return new JsonObject
        {
            ["phase"] = phase,
            ["hostIP"] = "127.0.0.1",
            ["podIP"] = ip,
            ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = ip }),
            ["startTime"] = startTime,
            ["conditions"] = new JsonArray(
                Condition("Initialized", true, null, null, run.Since),
                Condition("Ready", ready, notReady, message, now),
                Condition("ContainersReady", ready, notReady, message, now),
                Condition("PodScheduled", true, null, null, run.Since)),
            ["containerStatuses"] = new JsonArray([.. containers]),
            ["initContainerStatuses"] = new JsonArray([.. (pod.Spec.InitContainers ?? []).Select(c =>
                Container(pod, c, run, ready: true, Terminated(0, run.Since, run.Since)))]),
        };
    }

    private static JsonObject Condition(string type, bool status, string? reason, string? message, DateTimeOffset since)
    {
        var condition = new JsonObject
        {
            ["type"] = type,
            ["status"] = status ? "True" : "False",
            ["lastProbeTime"] = null,
            ["lastTransitionTime"] = Time.Format(since),
        };
        if (!status && reason is not null)
        {
            condition["reason"] = reason;
            condition["message"] = message;
        }

        return condition;
    }

    private static JsonObject Container(V1Pod pod, V1Container container, PodRun run, bool ready, JsonObject state) => new()
    {
        ["name"] = container.Name,
        ["image"] = container.Image,
        ["imageID"] = $"sim://{container.Image}",
        ["containerID"] = $"sim://{pod.Metadata.Uid}/{container.Name}/{run.Restarts}",
        ["ready"] = ready,
        ["started"] = state.ContainsKey("running"),
        ["restartCount"] = run.Restarts,
        ["state"] = state,
    };

    private static string NextIp()
    {
        var n = Interlocked.Increment(ref nextIp);
        return $"10.244.{n / 250 % 250}.{(n % 250) + 1}";
    }
}
