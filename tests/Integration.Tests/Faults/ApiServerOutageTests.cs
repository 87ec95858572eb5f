using System.Diagnostics;
using GitOps.Agent.Hosting;
using GitOps.Integration.Tests.Agent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace GitOps.Integration.Tests.Faults;

/// <summary>
/// The API server restarts (every managed-cluster upgrade does it): the agent's replicas, leader
/// and standby, live through it, say so on /readyz, and sync what was pushed meanwhile.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class ApiServerOutageTests(PrivateEnvironment env, ITestOutputHelper output) : IClassFixture<PrivateEnvironment>
{
    [Fact]
    public async Task Agent_TenSecondOutage_BothReplicasLiveAndTheCommitPushedMeanwhileSyncs()
    {
        await using var a = new AgentHarness(env.Cluster, "outage") { KubeconfigPath = env.Kubeconfig };
        a.Sync.Repo.Write("a.yaml", Yaml.ConfigMap(a.Namespace, "a", ("k", "1"))).Commit("before");
        var before = a.Push();
        var replicas = new[] { await a.StartAsync(a.Config("replica-1")), await a.StartAsync(a.Config("replica-2")) };
        await a.WaitForStatusAsync(before, "Synced", TimeSpan.FromSeconds(30));

        await env.StopApiServerAsync();
        var clock = Stopwatch.StartNew();
        a.Sync.Repo.Write("a.yaml", Yaml.ConfigMap(a.Namespace, "a", ("k", "2"))).Commit("during the outage");
        var during = a.Push();
        await AgentHarness.EventuallyAsync(
            () => Task.FromResult(replicas.All(r => !Readiness(r).Ready) ? "both unready" : null), TimeSpan.FromSeconds(15), "both replicas reporting the outage");
        Assert.All(replicas, r => Assert.Contains("apiserver: cannot reach the API server", Readiness(r).Reason, StringComparison.Ordinal));
        await Task.Delay(TimeSpan.FromSeconds(10) - clock.Elapsed is { Ticks: > 0 } rest ? rest : TimeSpan.Zero);
        await env.StartApiServerAsync();
        output.WriteLine($"the API server was away for {clock.ElapsedMilliseconds} ms");

        Assert.All(replicas, r => Assert.False(Stopping(r), "a replica stopped during the outage"));
        await a.WaitForStatusAsync(during, "Synced", TimeSpan.FromSeconds(60));
        output.WriteLine($"synced {clock.ElapsedMilliseconds} ms after the outage began");
        Assert.Equal("2", (string?)(await a.Sync.ConfigMapAsync("a"))!["data"]!["k"]);
        await AgentHarness.EventuallyAsync(
            () => Task.FromResult(replicas.All(r => Readiness(r).Ready) ? "both ready" : null), TimeSpan.FromSeconds(30), "both replicas ready again");
        Assert.All(replicas, r => Assert.False(Stopping(r)));
    }

    private static AgentReadiness Readiness(IHost host) => host.Services.GetRequiredService<AgentReadiness>();

    private static bool Stopping(IHost host) => host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested;
}
