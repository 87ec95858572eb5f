namespace GitOps.Diff.Health;

/// <summary>
/// An aggregated API (an APIService) serves once the aggregator says Available; until then, and
/// while it is False (the backing Service has no ready endpoint yet, a metrics server starting),
/// it is Progressing, as Argo CD has it: the backend is usually a Deployment synced alongside,
/// and the wait timeout ends a wait that never succeeds. Local APIServices are Available at once.
/// </summary>
internal static class HealthApiService
{
    public static HealthResult Assess(StatusReader obj)
    {
        var available = obj.Condition("Available");
        if (available is null)
        {
            return obj.Progressing("waiting for the aggregator");
        }

        return available.IsTrue
            ? obj.Healthy($"available ({available.Reason})")
            : obj.Progressing($"not available: {available.Explanation(available.Reason)}");
    }
}
