namespace GitOps.Diff.Health;

/// <summary>
/// Usually owned by a Deployment, but a bare ReplicaSet in the repo is judged on its own counts.
/// </summary>
internal static class HealthReplicaSet
{
    public static HealthResult Assess(StatusReader obj)
    {
        // Pod creation was refused (quota, admission). kstatus keeps waiting rather than failing:
        // the cause is often transient and the controller keeps retrying.
        if (obj.Condition("ReplicaFailure") is { IsTrue: true } failure)
        {
            return obj.Progressing($"replica failure: {failure.Explanation("pods could not be created")}");
        }

        var wanted = obj.Integer("spec.replicas", 1);
        var replicas = obj.Integer("status.replicas", 0);
        var labelled = obj.Integer("status.fullyLabeledReplicas", 0);
        var available = obj.Integer("status.availableReplicas", 0);
        var ready = obj.Integer("status.readyReplicas", 0);

        if (wanted > labelled)
        {
            return obj.Progressing($"{labelled} of {wanted} replicas labelled");
        }

        if (wanted > available)
        {
            return obj.Progressing($"{available} of {wanted} replicas available");
        }

        if (wanted > ready)
        {
            return obj.Progressing($"{ready} of {wanted} replicas ready");
        }

        return replicas > wanted
            ? obj.Progressing($"{StatusReader.Count(replicas - wanted, "surplus replica")} still terminating")
            : obj.Healthy($"{available} of {wanted} replicas available");
    }
}
