namespace GitOps.Diff.Health;

/// <summary>
/// A Deployment is healthy when every wanted replica runs the new template and is available,
/// and the controller says so through its Progressing and Available conditions.
/// </summary>
internal static class HealthDeployment
{
    // The controller's "no deadline" value: with it, no Progressing condition is ever written.
    private const long NoDeadline = int.MaxValue;

    public static HealthResult Assess(StatusReader obj)
    {
        // Without a deadline there is no Progressing condition to wait for.
        var progressed = obj.Integer("spec.progressDeadlineSeconds", NoDeadline) == NoDeadline;
        var progressing = obj.Condition("Progressing");
        if (progressing?.Reason == "ProgressDeadlineExceeded")
        {
            // The only state the controller itself calls failed; it will not retry on its own.
            return obj.Degraded($"progress deadline exceeded: {progressing.Explanation("no message")}");
        }

        // NewReplicaSetAvailable is written once the rollout finished, not merely started.
        progressed |= progressing is { IsTrue: true, Reason: "NewReplicaSetAvailable" };
        var available = obj.Condition("Available")?.IsTrue == true;

        var wanted = obj.Integer("spec.replicas", 1); // the API server's default
        var replicas = obj.Integer("status.replicas", 0);
        var updated = obj.Integer("status.updatedReplicas", 0);
        var ready = obj.Integer("status.readyReplicas", 0);
        var availableReplicas = obj.Integer("status.availableReplicas", 0);

        // Counts first, in rollout order, so the reason names the step the rollout is at.
        if (wanted > replicas)
        {
            return obj.Progressing($"{replicas} of {wanted} replicas created");
        }

        if (wanted > updated)
        {
            return obj.Progressing($"{updated} of {wanted} replicas updated");
        }

        if (replicas > wanted)
        {
            return obj.Progressing($"{StatusReader.Count(replicas - wanted, "old replica")} still terminating");
        }

        if (updated > availableReplicas)
        {
            return obj.Progressing($"{availableReplicas} of {updated} replicas available");
        }

        if (wanted > ready)
        {
            return obj.Progressing($"{ready} of {wanted} replicas ready");
        }

        // Counts can agree while the controller has not yet confirmed; trust it over arithmetic.
        if (!progressed)
        {
            return obj.Progressing("new ReplicaSet not yet reported available");
        }

        return available
            ? obj.Healthy($"{availableReplicas} of {wanted} replicas available")
            : obj.Progressing("Available condition not yet True");
    }
}
