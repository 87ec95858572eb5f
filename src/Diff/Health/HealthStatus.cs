namespace GitOps.Diff.Health;

/// <summary>The health of one object or a set, worst last (an aggregate takes the maximum).</summary>
public enum HealthStatus
{
    Healthy = 0,
    Progressing = 1,
    Unknown = 2,
    Degraded = 3,
}
