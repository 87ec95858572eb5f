using System.Text.Json.Nodes;

namespace GitOps.Diff.Health;

/// <summary>
/// Health of live objects by the kstatus rules (sigs.k8s.io/cli-utils), mapped onto
/// <see cref="HealthStatus"/>: Current → Healthy, InProgress and Terminating → Progressing,
/// Failed → Degraded, Unknown (an unreadable object) → Unknown.
/// </summary>
public static class HealthAssessor
{
    /// <summary>
    /// Judges one live object as read from the cluster (with its status). Pure: it never looks at
    /// the clock or the cluster, so a verdict that kstatus bases on elapsed time (an unschedulable
    /// Pod) stays Progressing and the caller's wait timeout decides.
    /// </summary>
    public static HealthResult Assess(JsonObject live) => Assess(live, HealthRuleSet.Empty);

    /// <summary>As <see cref="Assess(JsonObject)"/>, with the configured rules before the built-in ones.</summary>
    public static HealthResult Assess(JsonObject live, HealthRuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(rules);
        var obj = new StatusReader(live);
        try
        {
            if (HealthGeneric.Decisive(obj) is { } decided)
            {
                return decided;
            }

            if (rules.Assess(obj, live) is { } configured)
            {
                return configured;
            }

            if (HealthRules.ByKind.TryGetValue((obj.Group, obj.Kind), out var rule))
            {
                return rule.NeedsStatus && !obj.HasStatus
                    ? obj.Progressing("no status reported yet")
                    : rule.Assess(obj);
            }

            return HealthGeneric.Fallback(obj);
        }
        catch (UnreadableFieldException e)
        {
            return obj.Unknown($"cannot judge health: {e.Message}");
        }
    }

    /// <summary>
    /// The health of a set is its worst member's, with that member's reason (the first of equals,
    /// so the answer follows the caller's order). An empty set has nothing wrong with it.
    /// </summary>
    public static HealthResult Aggregate(IEnumerable<HealthResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        HealthResult? worst = null;
        foreach (var result in results)
        {
            if (worst is null || result.Status > worst.Status)
            {
                worst = result;
            }
        }

        return worst ?? new HealthResult(HealthStatus.Healthy, "no objects");
    }
}
