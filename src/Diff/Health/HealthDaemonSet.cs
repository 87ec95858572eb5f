namespace GitOps.Diff.Health;

/// <summary>
/// A DaemonSet wants one pod per eligible node; the controller computes how many that is, so
/// nothing can be judged before it has looked at the object.
/// </summary>
internal static class HealthDaemonSet
{
    public static HealthResult Assess(StatusReader obj)
    {
        // The generic generation check skips objects without observedGeneration; the DaemonSet
        // controller always writes it, so its absence means the controller has not acted yet.
        if (obj.Integer("metadata.generation") is null || obj.Integer("status.observedGeneration") is null)
        {
            return obj.Progressing("not yet observed by its controller");
        }

        if (obj.Integer("status.desiredNumberScheduled") is not { } desired)
        {
            return obj.Progressing("desired number of pods not yet computed");
        }

        var scheduled = obj.Integer("status.currentNumberScheduled", 0);
        var updated = obj.Integer("status.updatedNumberScheduled", 0);
        var available = obj.Integer("status.numberAvailable", 0);
        var ready = obj.Integer("status.numberReady", 0);

        if (desired > scheduled)
        {
            return obj.Progressing($"{scheduled} of {desired} pods scheduled");
        }

        if (desired > updated)
        {
            return obj.Progressing($"{updated} of {desired} pods updated");
        }

        if (desired > available)
        {
            return obj.Progressing($"{available} of {desired} pods available");
        }

        return desired > ready
            ? obj.Progressing($"{ready} of {desired} pods ready")
            : obj.Healthy($"{ready} of {desired} pods ready");
    }
}
