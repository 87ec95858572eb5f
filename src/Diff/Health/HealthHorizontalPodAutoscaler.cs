namespace GitOps.Diff.Health;

/// <summary>
/// An HPA by the conditions its controller writes (autoscaling/v2beta2 and later; v1 objects carry
/// the same ones in an annotation the server converts). Degraded when it cannot scale its target
/// (AbleToScale False: the target is missing or refuses the scale) or its spec cannot work
/// (ScalingActive False with InvalidSelector / InvalidMetricSourceType): a sync made those and a
/// sync can fix them. Unlike Argo CD, metrics that cannot be read (ScalingActive False,
/// FailedGet…Metric: no metrics server yet, an adapter down) leave it Healthy with that reason
/// named: the target keeps its replicas and serves, and gating every release on a cluster add-on
/// would hold them all hostage. Before the first sync period (15 s) it is Progressing.
/// </summary>
internal static class HealthHorizontalPodAutoscaler
{
    private static readonly HashSet<string> SpecErrors = new(StringComparer.Ordinal)
    {
        "InvalidSelector", "InvalidMetricSourceType", "AmbiguousSelector",
    };

    public static HealthResult Assess(StatusReader obj)
    {
        var able = obj.Condition("AbleToScale");
        var active = obj.Condition("ScalingActive");
        if (able is null && active is null)
        {
            return obj.Progressing("waiting for the autoscaler's first look");
        }

        if (able is { IsFalse: true })
        {
            return obj.Degraded($"cannot scale its target: {able.Explanation(able.Reason)}");
        }

        if (active is { IsFalse: true } && SpecErrors.Contains(active.Reason))
        {
            return obj.Degraded($"{active.Reason}: {active.Explanation("no message")}");
        }

        var current = obj.Integer("status.currentReplicas", 0);
        var desired = obj.Integer("status.desiredReplicas", 0);
        if (active is { IsFalse: true })
        {
            return obj.Healthy($"{current} replicas, not autoscaling: {active.Explanation(active.Reason)}");
        }

        var limited = obj.Condition("ScalingLimited") is { IsTrue: true } limit ? $" ({limit.Reason})" : "";
        return obj.Healthy($"{current} replicas, {desired} desired{limited}");
    }
}
