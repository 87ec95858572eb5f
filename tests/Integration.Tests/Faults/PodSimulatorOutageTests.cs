using GitOps.Agent.Sync;
using GitOps.Diff.Health;
using GitOps.Integration.Tests.Agent;
using static GitOps.Integration.Tests.Environment.SimulatedWorkloads;

namespace GitOps.Integration.Tests.Faults;

/// <summary>
/// The pod simulator lives through an API-server outage the way a kubelet does: it keeps its
/// Node Ready and runs the pods made after the server came back.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class PodSimulatorOutageTests(PrivateEnvironment env) : IClassFixture<PrivateEnvironment>
{
    [Fact]
    public async Task ApiServerRestart_PodSimulator_RunsTheNextRolloutAndKeepsItsNodeReady()
    {
        await using var h = new SyncHarness(env.Cluster, "sim-outage");
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace))
            .Write("web.yaml", Manifests.Deployment(h.Namespace, "web", "app=web", image: "nginx:1.25")).Commit("v1");
        Assert.Equal(HealthStatus.Healthy, (await h.SyncAsync(timeout: Patience)).Health);

        await env.StopApiServerAsync();
        await Task.Delay(TimeSpan.FromSeconds(3)); // the simulator's watch and heartbeat fail meanwhile
        await env.StartApiServerAsync();
        var restarted = DateTimeOffset.UtcNow;
        h.Repo.Write("web.yaml", Manifests.Deployment(h.Namespace, "web", "app=web", image: "nginx:1.27")).Commit("v2");
        var result = await h.SyncAsync(timeout: Patience);

        Assert.Equal((SyncPhase.Synced, HealthStatus.Healthy), (result.Phase, result.Health));
        await AgentHarness.EventuallyAsync(
            () => Task.FromResult(Pods(h, "app=web") is [{ } only] && (string?)only["spec"]!["containers"]![0]!["image"] == "nginx:1.27" ? "one new pod" : null),
            Patience, "the old pod deleted after the outage");
        var lease = await WaitForAsync(h, "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/gitops-sim-node",
            l => DateTimeOffset.Parse((string)l["spec"]!["renewTime"]!, System.Globalization.CultureInfo.InvariantCulture) > restarted, "the node's Lease renewed");
        Assert.NotNull(lease);
        var node = (await h.GetAsync("/api/v1/nodes/gitops-sim-node"))!;
        Assert.True(HasCondition(node, "Ready"), node["status"]!["conditions"]!.ToJsonString());
    }
}
