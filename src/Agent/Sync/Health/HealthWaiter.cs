using System.Text.Json.Nodes;
using GitOps.Agent.Kube;
using GitOps.Diff.Health;
using GitOps.Diff.Identity;

namespace GitOps.Agent.Sync;

/// <summary>One object to judge: its newest known state, and where to read it again (null: not in the cluster).</summary>
internal sealed record HealthSubject(ResourceKey Key, string? Path, JsonObject? Current);

/// <summary>The Health stage's value: a verdict per object, and whether the wait was cut short by a newer commit.</summary>
internal sealed record HealthReport(IReadOnlyDictionary<ResourceKey, HealthResult> Objects, bool Preempted);

/// <summary>
/// Health after apply, from live state. With a timeout it polls the objects that are not
/// Healthy yet until they are, the time is up, or <c>preempt</c> fires (a newer commit is
/// waiting: the pass ends now and the next one starts); without a timeout it judges once.
/// </summary>
internal sealed class HealthWaiter(IClusterClient api, TimeSpan pollInterval, TimeProvider clock, HealthRuleSet rules)
{
    public async Task<HealthReport> AssessAsync(IReadOnlyList<HealthSubject> subjects, TimeSpan? timeout, CancellationToken preempt, CancellationToken ct)
    {
        var current = subjects.ToDictionary(s => s.Key);
        var health = subjects.ToDictionary(s => s.Key, s => Judge(s.Current));
        if (timeout is null)
        {
            return new HealthReport(health, Preempted: false);
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct, preempt);
        try
        {
            await Poll.UntilAsync(clock, timeout.Value, pollInterval, async () =>
            {
                foreach (var s in health.Where(h => h.Value.Status != HealthStatus.Healthy).Select(h => current[h.Key]).Where(s => s.Path is not null).ToList())
                {
                    current[s.Key] = s with { Current = await api.GetAsync(s.Path!, wait.Token) ?? s.Current };
                    health[s.Key] = Judge(current[s.Key].Current);
                }

                return health.Values.All(h => h.Status == HealthStatus.Healthy);
            }, wait.Token);
        }
        catch (OperationCanceledException) when (preempt.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return new HealthReport(health, Preempted: true);
        }

        return new HealthReport(health, Preempted: false);
    }

    private HealthResult Judge(JsonObject? obj) =>
        obj is not null ? HealthAssessor.Assess(obj, rules) : new HealthResult(HealthStatus.Unknown, "not found");
}
