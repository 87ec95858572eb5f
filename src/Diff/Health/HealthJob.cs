namespace GitOps.Diff.Health;

/// <summary>
/// kstatus asks whether a Job has been taken up, not whether it has finished: once it started,
/// it is Healthy while running, and only a Failed condition makes it Degraded. Waiting for
/// completion would hold every sync hostage to the longest batch run.
/// </summary>
internal static class HealthJob
{
    public static HealthResult Assess(StatusReader obj)
    {
        var parallelism = obj.Integer("spec.parallelism", 1);
        var completions = obj.Integer("spec.completions", parallelism);
        var succeeded = obj.Integer("status.succeeded", 0);
        var active = obj.Integer("status.active", 0);
        var failed = obj.Integer("status.failed", 0);

        // Conditions in the order the controller wrote them, as kstatus reads them.
        foreach (var condition in obj.Conditions)
        {
            if (!condition.IsTrue)
            {
                continue;
            }

            switch (condition.Type)
            {
                case "Complete":
                    return obj.Healthy($"complete, {succeeded} of {completions} succeeded");
                case "Failed":
                    return obj.Degraded($"failed: {condition.Explanation($"{failed} pods failed")}");
                case "Suspended":
                    // Suspension is a deliberate spec choice, not a fault.
                    return obj.Healthy("suspended");
            }
        }

        return string.IsNullOrEmpty(obj.Text("status.startTime"))
            ? obj.Progressing("not started yet")
            : obj.Healthy($"running ({active} active, {succeeded} succeeded, {failed} failed)");
    }
}
