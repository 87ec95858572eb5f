using GitOps.Agent.Kube;
using GitOps.Diff.Health;

namespace GitOps.Agent.Sync;

/// <summary>
/// Health after apply, from live state. With a timeout it polls the objects that are not
/// Healthy yet until they are, or the time is up; without one it judges once.
/// </summary>
internal sealed class HealthWaiter(KubeApi api, TimeProvider clock)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    public async Task<Dictionary<PlannedObject, HealthResult>> AssessAsync(IReadOnlyList<PlannedObject> objects, TimeSpan? timeout, CancellationToken ct)
    {
        var health = objects.ToDictionary(p => p, Judge);
        if (timeout is null)
        {
            return health;
        }

        await Poll.UntilAsync(clock, timeout.Value, PollInterval, async () =>
        {
            foreach (var p in health.Where(h => h.Value.Status != HealthStatus.Healthy && h.Key.Resource is not null && h.Key.Error is null).Select(h => h.Key).ToList())
            {
                p.Applied = await api.GetAsync(p.Path, ct) ?? p.Applied;
                health[p] = Judge(p);
            }

            return health.Where(h => h.Key.Error is null).All(h => h.Value.Status == HealthStatus.Healthy);
        }, ct);
        return health;
    }

    private static HealthResult Judge(PlannedObject p) =>
        p.Current is { } obj ? HealthAssessor.Assess(obj) : new HealthResult(HealthStatus.Unknown, "not found");
}
