namespace GitOps.Diff.Health;

/// <summary>
/// A Pod by its phase. Both terminal phases count as Healthy, as in kstatus: a finished Pod will
/// never change again, so there is nothing left to wait for (its owner, e.g. a Job, judges the
/// outcome). Only a crash loop, which the kubelet retries forever, is Degraded.
/// </summary>
internal static class HealthPod
{
    public static HealthResult Assess(StatusReader obj)
    {
        var phase = obj.Text("status.phase") ?? "";
        switch (phase)
        {
            case "Succeeded":
                return obj.Healthy("completed successfully");
            case "Failed":
                return obj.Healthy("completed, but not successfully");
            case "Running":
                return Running(obj);
            case "Pending":
                // kstatus calls this Failed after a 15 s grace period; a pure function has no
                // clock, and a cluster autoscaler may still add a node, so the wait timeout decides.
                return obj.Condition("PodScheduled") is { IsFalse: true, Reason: "Unschedulable" } unschedulable
                    ? obj.Progressing($"unschedulable: {unschedulable.Explanation("no node fits")}")
                    : obj.Progressing("pending");
            case "":
                return obj.Progressing("phase not reported yet");
            default:
                // Phase "Unknown" means the node stopped reporting: we really do not know.
                return obj.Unknown($"phase {phase}");
        }
    }

    private static HealthResult Running(StatusReader obj)
    {
        if (obj.Condition("Ready")?.IsTrue == true)
        {
            return obj.Healthy("running and ready");
        }

        var crashing = CrashLoopingContainers(obj);
        return crashing.Count > 0
            ? obj.Degraded($"containers in CrashLoopBackOff: {string.Join(", ", crashing)}")
            : obj.Progressing("running but not ready");
    }

    private static List<string> CrashLoopingContainers(StatusReader obj)
    {
        var names = new List<string>();
        var statuses = obj.Array("status.containerStatuses") ?? [];
        for (var i = 0; i < statuses.Count; i++)
        {
            var prefix = $"status.containerStatuses.{i}";
            if (obj.Text($"{prefix}.state.waiting.reason") == "CrashLoopBackOff")
            {
                names.Add(obj.Text($"{prefix}.name") ?? $"#{i}");
            }
        }

        return names;
    }
}
