namespace GitOps.Diff.Health;

/// <summary>
/// A CronJob is healthy as soon as it exists: its controller creates Jobs on schedule, and each
/// Job's outcome belongs to that Job (a sync that waited for the next run would wait up to the
/// whole period). The reason says whether it is suspended, running or still to run.
/// </summary>
internal static class HealthCronJob
{
    public static HealthResult Assess(StatusReader obj)
    {
        if (obj.Boolean("spec.suspend") == true)
        {
            return obj.Healthy("suspended");
        }

        var active = obj.Array("status.active")?.Count ?? 0;
        if (active > 0)
        {
            return obj.Healthy($"{StatusReader.Count(active, "job")} running");
        }

        return obj.Text("status.lastScheduleTime") is { Length: > 0 } last
            ? obj.Healthy($"last scheduled at {last}")
            : obj.Healthy($"scheduled \"{obj.Text("spec.schedule")}\", not run yet");
    }
}
