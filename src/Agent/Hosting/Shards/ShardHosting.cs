using GitOps.Agent.Kube;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GitOps.Agent.Hosting.Shards;

/// <summary>Wires <c>shards: N</c>: one term per shard over the workers of its targets, and the gate that shares the shards out.</summary>
internal static class ShardHosting
{
    public static void Add(IServiceCollection s, AgentConfig config)
    {
        s.AddSingleton(sp => new ShardLeases(
            sp.GetRequiredService<KubeApi>().Client, config.Namespace, config.LeaseName, config.Identity, config.LeaseDuration, sp.GetRequiredService<TimeProvider>()));
        s.AddHostedService(sp =>
        {
            var fences = sp.GetRequiredService<ShardFences>();
            var leases = sp.GetRequiredService<ShardLeases>();
            var api = sp.GetRequiredService<KubeApi>();
            api.Fence = fences; // every write is fenced by the Lease of its target's shard
            api.Requests.FenceExempt = leases.Paths(config.Shards); // but the Leases' own
            var workers = AgentHost.Workers(sp);
            var terms = Enumerable.Range(0, config.Shards)
                .Select(shard => AgentHost.NewTerm(sp, workers.Where(w => ShardAssignment.ShardOf(w.Name, config.Shards) == shard), fences[shard]))
                .ToList();
            return new ShardGate(config, leases, fences, terms, sp.GetRequiredService<AgentMetrics>(), sp.GetRequiredService<AgentReadiness>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ShardGate>>());
        });
    }
}
