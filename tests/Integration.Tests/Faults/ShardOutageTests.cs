using System.Collections.Concurrent;
using System.Diagnostics;
using GitOps.Integration.Tests.Agent;
using Xunit.Abstractions;

namespace GitOps.Integration.Tests.Faults;

/// <summary>
/// The API server restarts under three real `gitops agent` processes with <c>shards: 3</c>: every
/// replica lives through it, none goes on claiming a shard whose Lease it could not renew, no
/// shard is ever claimed by two replicas at once, and the commit pushed meanwhile syncs on every
/// target once the server is back.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class ShardOutageTests(PrivateEnvironment env, ITestOutputHelper output) : IClassFixture<PrivateEnvironment>
{
    private const int Shards = 3;
    private static readonly string[] Replicas = ["replica-a", "replica-b", "replica-c"];

    [Fact]
    public async Task Agent_ShardedReplicasThroughATenSecondOutage_LiveOnHoldEachShardOnceAndSyncTheCommitPushedMeanwhile()
    {
        await using var a = new AgentHarness(env.Cluster, "shardoutage") { KubeconfigPath = env.Kubeconfig };
        var names = ShardFailoverTests.TwoPerShard();
        foreach (var name in names)
        {
            a.Sync.Repo.Write($"{name}/cm.yaml", Yaml.ConfigMap(a.Namespace, name, ("v", "1")));
        }

        a.Sync.Repo.Commit("before");
        var before = a.Push();
        var agents = Replicas.Select(id => new AgentProcess(id, env.Kubeconfig, a.Namespace, ShardFailoverTests.Targets(a, names), output, extra: $"shards: {Shards}")).ToList();
        using var sampling = new CancellationTokenSource();
        var doubles = new ConcurrentQueue<string>();
        Task? sampler = null;
        var down = false;
        try
        {
            foreach (var name in names)
            {
                await a.WaitForStatusAsync(before, "Synced", TimeSpan.FromSeconds(90), name);
            }

            await ShardFailoverTests.BalancedAsync(a, Replicas);
            sampler = SampleAsync(agents, doubles, sampling.Token);

            down = true;
            await env.StopApiServerAsync();
            var clock = Stopwatch.StartNew();
            foreach (var name in names)
            {
                a.Sync.Repo.Write($"{name}/cm.yaml", Yaml.ConfigMap(a.Namespace, name, ("v", "2")));
            }

            a.Sync.Repo.Commit("during the outage");
            var during = a.Push();
            // Its renew deadline (2/3 of the 4 s Lease) passed: a replica that cannot renew claims nothing.
            await AgentHarness.EventuallyAsync(
                async () => (await HeldAsync(agents)).All(h => h.Count == 0) ? "none held" : null, TimeSpan.FromSeconds(9), "every replica giving its shards up");
            output.WriteLine($"every replica gave its shards up {clock.ElapsedMilliseconds} ms into the outage");
            await Task.Delay(TimeSpan.FromSeconds(10) - clock.Elapsed is { Ticks: > 0 } rest ? rest : TimeSpan.Zero);
            await env.StartApiServerAsync();
            down = false;
            output.WriteLine($"the API server was away for {clock.ElapsedMilliseconds} ms");

            Assert.All(agents, p => Assert.False(p.HasExited, $"{p.Identity} ended during the outage"));
            foreach (var name in names)
            {
                await a.WaitForStatusAsync(during, "Synced", TimeSpan.FromSeconds(90), name);
                Assert.Equal("2", await ShardFailoverTests.ValueAsync(a, name));
            }

            output.WriteLine($"every target synced the commit pushed meanwhile {clock.ElapsedMilliseconds} ms after the outage began");
            var holders = await ShardFailoverTests.BalancedAsync(a, Replicas);
            var claimed = await AgentHarness.EventuallyAsync(
                async () => await HeldAsync(agents) is var held && held.Sum(h => h.Count) == Shards ? held : null, TimeSpan.FromSeconds(30), "every shard claimed");
            for (var r = 0; r < agents.Count; r++)
            {
                Assert.Equal(holders.Where(h => h.Value == agents[r].Identity).Select(h => h.Key).Order(), claimed[r].Order()); // each claims what its Lease says
            }

            Assert.All(agents, p => Assert.False(p.HasExited));
        }
        finally
        {
            await sampling.CancelAsync();
            if (sampler is not null)
            {
                await sampler;
            }

            agents.ForEach(p => p.Dispose());
            if (down)
            {
                await env.StartApiServerAsync(); // a failure is told as itself, not as the cleanup's refused connection
            }
        }

        Assert.Empty(doubles); // sampled every 200 ms from before the outage until it was over and synced
    }

    /// <summary>Until cancelled, notes every moment two replicas claim one shard (their <c>gitops_shard_held</c>).</summary>
    private static async Task SampleAsync(IReadOnlyList<AgentProcess> agents, ConcurrentQueue<string> doubles, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var held = await HeldAsync(agents);
            foreach (var shard in held.SelectMany(h => h).GroupBy(s => s).Where(g => g.Count() > 1).Select(g => g.Key))
            {
                doubles.Enqueue($"shard {shard} claimed by {string.Join(", ", agents.Where((_, r) => held[r].Contains(shard)).Select(p => p.Identity))}");
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>The shards each replica says it holds and syncs.</summary>
    private static async Task<List<List<int>>> HeldAsync(IReadOnlyList<AgentProcess> agents)
    {
        var held = new List<List<int>>();
        foreach (var agent in agents)
        {
            var metrics = agent.HasExited ? string.Empty : await ShardFailoverTests.MetricsAsync(agent);
            held.Add([.. Enumerable.Range(0, Shards).Where(s => metrics.Contains($"gitops_shard_held{{shard=\"{s}\"}} 1", StringComparison.Ordinal))]);
        }

        return held;
    }
}
