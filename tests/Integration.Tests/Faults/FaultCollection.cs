namespace GitOps.Integration.Tests.Faults;

/// <summary>
/// Fault tests time leases, outages and races on a 2-core machine: they run one at a time, after
/// the other tests, so no other test's load moves their timing (and theirs moves no one else's).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultCollection
{
    public const string Name = "faults";
}
