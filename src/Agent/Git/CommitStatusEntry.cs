namespace GitOps.Agent.Git;

/// <summary>What one agent reports about one commit for one (cluster, target).</summary>
/// <param name="Cluster">The cluster's name from the agent configuration.</param>
/// <param name="Target">The target's name.</param>
/// <param name="Phase"><c>Progressing</c>, <c>Synced</c> or <c>Failed</c>.</param>
/// <param name="Health"><c>Healthy</c>, <c>Progressing</c>, <c>Degraded</c> or <c>Unknown</c>.</param>
/// <param name="Time">When the outcome was reached.</param>
/// <param name="Counts">Objects per action (<c>created</c>, <c>configured</c>, <c>unchanged</c>, <c>pruned</c>, …).</param>
/// <param name="Message">The reason for a failure; never Secret values.</param>
/// <param name="AgentVersion">Version of the agent that wrote the entry.</param>
public sealed record CommitStatusEntry(
    string Cluster,
    string Target,
    string Phase,
    string Health,
    DateTimeOffset Time,
    IReadOnlyDictionary<string, int> Counts,
    string? Message,
    string AgentVersion);
