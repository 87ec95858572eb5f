namespace GitOps.Diff.Health;

/// <summary>
/// The health of one object (or of a set, see <see cref="HealthAssessor.Aggregate"/>) and a short
/// sentence a person can act on, prefixed with the kind, e.g. "Deployment: 1 of 2 replicas available".
/// </summary>
public sealed record HealthResult(HealthStatus Status, string Reason);
