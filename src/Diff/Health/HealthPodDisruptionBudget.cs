namespace GitOps.Diff.Health;

/// <summary>
/// A PodDisruptionBudget is met once as many of its pods are healthy as it demands. Fewer is
/// Progressing, not Degraded as Argo CD has it: right after a release the pods it guards are
/// still starting, and their own workload's health already says whether they fail.
/// </summary>
internal static class HealthPodDisruptionBudget
{
    public static HealthResult Assess(StatusReader obj)
    {
        var current = obj.Integer("status.currentHealthy", 0);
        var desired = obj.Integer("status.desiredHealthy", 0);
        var expected = obj.Integer("status.expectedPods", 0);
        if (current < desired)
        {
            return obj.Progressing($"{current} of {desired} required pods healthy");
        }

        var allowed = obj.Integer("status.disruptionsAllowed", 0);
        return obj.Healthy($"{current} of {expected} pods healthy, {StatusReader.Count(allowed, "disruption")} allowed");
    }
}
