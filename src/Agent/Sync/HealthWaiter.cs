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
        var health = objects.ToDictionary(p => p, p => p.Current is { } obj ? HealthAssessor.Assess(obj) : new HealthResult(HealthStatus.Unknown, "not found"));
        if (timeout is null)
        {
            return health;
        }

        var deadline = clock.GetUtcNow() + timeout.Value;
        while (health.Any(h => h.Value.Status != HealthStatus.Healthy) && clock.GetUtcNow() < deadline)
        {
            await Task.Delay(PollInterval, clock, ct);
            foreach (var p in health.Where(h => h.Value.Status != HealthStatus.Healthy && h.Key.Resource is not null).Select(h => h.Key).ToList())
            {
                p.Applied = await api.GetAsync(p.Path, ct) ?? p.Applied;
                health[p] = p.Applied is { } obj ? HealthAssessor.Assess(obj) : new HealthResult(HealthStatus.Unknown, "not found");
            }
        }

        return health;
    }
}
