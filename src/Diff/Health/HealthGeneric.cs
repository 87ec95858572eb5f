namespace GitOps.Diff.Health;

/// <summary>
/// The kstatus checks that apply to every kind, before and after the per-kind rules.
/// </summary>
internal static class HealthGeneric
{
    /// <summary>
    /// Signals any object can carry; the first one found decides, and no per-kind rule runs.
    /// Order matters: a deleted object is gone whatever its status says, and a status written for
    /// an older generation says nothing about the spec we just applied.
    /// </summary>
    public static HealthResult? Decisive(StatusReader obj)
    {
        // kstatus reports Terminating; the agent waits on it like any rollout, hence Progressing.
        if (!string.IsNullOrEmpty(obj.Text("metadata.deletionTimestamp")))
        {
            return obj.Progressing("terminating");
        }

        // Only when both are present: many kinds never write observedGeneration at all.
        var generation = obj.Integer("metadata.generation");
        var observed = obj.Integer("status.observedGeneration");
        if (generation is { } g && observed is { } o && g != o)
        {
            return obj.Progressing($"generation {g} not yet observed (controller has seen {o})");
        }

        // The standard "abnormal-true" conditions, for controllers that follow kstatus' advice.
        foreach (var condition in obj.Conditions)
        {
            if (condition.Type == "Reconciling" && condition.IsTrue)
            {
                return obj.Progressing($"reconciling: {condition.Explanation("no message")}");
            }

            if (condition.Type == "Stalled" && condition.IsTrue)
            {
                return obj.Degraded($"stalled: {condition.Explanation("no message")}");
            }
        }

        return null;
    }

    /// <summary>
    /// For kinds without a rule. Ready is not a kstatus condition but most operators set it, so
    /// it is the best signal left; False and Unknown both mean "not yet", because a controller
    /// that has given up is expected to say Stalled. Without Ready, kstatus assumes Current:
    /// nothing tells us to wait (ConfigMaps, RBAC, most custom resources).
    /// </summary>
    public static HealthResult Fallback(StatusReader obj)
    {
        var ready = obj.Condition("Ready");
        if (ready is null)
        {
            return obj.Healthy("no readiness signal, assumed healthy");
        }

        return ready.IsTrue
            ? obj.Healthy("ready")
            : obj.Progressing($"not ready: {ready.Explanation($"Ready is {ready.Status}")}");
    }
}
