namespace GitOps.Diff.Health;

/// <summary>
/// A StatefulSet writes no useful conditions, so health comes from its counters and revisions
/// alone; a failed rollout therefore shows as Progressing until the caller's timeout.
/// </summary>
internal static class HealthStatefulSet
{
    public static HealthResult Assess(StatusReader obj)
    {
        // With OnDelete the user replaces pods by hand; there is no rollout to wait for.
        if (obj.Text("spec.updateStrategy.type") == "OnDelete")
        {
            return obj.Healthy("OnDelete update strategy, pods are replaced by hand");
        }

        var wanted = obj.Integer("spec.replicas", 1);
        var replicas = obj.Integer("status.replicas", 0);
        var ready = obj.Integer("status.readyReplicas", 0);
        var current = obj.Integer("status.currentReplicas", 0);
        var updated = obj.Integer("status.updatedReplicas", 0);

        if (wanted > replicas)
        {
            return obj.Progressing($"{replicas} of {wanted} replicas created");
        }

        if (wanted > ready)
        {
            return obj.Progressing($"{ready} of {wanted} replicas ready");
        }

        if (replicas > wanted)
        {
            return obj.Progressing($"{StatusReader.Count(replicas - wanted, "surplus replica")} still terminating");
        }

        // A partition holds pods below its ordinal on the old revision on purpose (a canary), so
        // only the pods at or above it must be updated and the revisions never converge. The API
        // server defaults the partition to 0 for RollingUpdate: then it simply means "all pods".
        if (obj.Integer("spec.updateStrategy.rollingUpdate.partition") is { } partition)
        {
            var toUpdate = Math.Max(wanted - partition, 0);
            if (updated < toUpdate)
            {
                return obj.Progressing(partition > 0
                    ? $"{updated} of {toUpdate} replicas at or above partition {partition} updated"
                    : $"{updated} of {wanted} replicas updated");
            }

            return obj.Healthy(partition > 0
                ? $"partitioned rollout complete, {updated} of {wanted} replicas updated"
                : $"{ready} of {wanted} replicas ready");
        }

        if (wanted > current)
        {
            return obj.Progressing($"{current} of {wanted} replicas on the current revision");
        }

        // The controller promotes updateRevision to currentRevision once every pod runs it.
        var currentRevision = obj.Text("status.currentRevision") ?? "";
        var updateRevision = obj.Text("status.updateRevision") ?? "";
        return currentRevision != updateRevision
            ? obj.Progressing($"rolling out revision {updateRevision} (current {currentRevision})")
            : obj.Healthy($"{ready} of {wanted} replicas ready");
    }
}
