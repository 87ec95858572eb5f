using System.Text.Json.Nodes;
using GitOps.Agent.Hosting;
using GitOps.Integration.Tests.Sync;
using Xunit.Abstractions;

namespace GitOps.Integration.Tests.Agent;

/// <summary>
/// <c>dependsOn</c> between two targets of one agent on one repository: <c>apps</c> writes nothing
/// of a new revision until <c>infra</c> is Synced and Healthy there, observed through the API while
/// infra's pod is held un-Ready by the simulated kubelet.
/// </summary>
public sealed class DependsOnTests(ClusterFixture cluster, ITestOutputHelper output) : IClassFixture<ClusterFixture>
{
    private const int ReadySeconds = 6;

    [Fact]
    public async Task DependsOn_InfraDeploymentBecomesReadyLate_AppsConfigMapCreatedOnlyAfterItIsAvailable()
    {
        await using var a = new AgentHarness(cluster, "depends");
        a.Sync.Repo
            .Write("infra/db.yaml", Manifests.Deployment(a.Namespace, "db", "app=db", readySeconds: ReadySeconds))
            .Write("apps/app.yaml", Yaml.ConfigMap(a.Namespace, "app-config", ("db", "db:5432")))
            .Commit("infra and apps");
        var commit = a.Push();
        var config = a.Config("solo") with
        {
            Targets =
            [
                Target("infra", "infra", a) with { Timeout = TimeSpan.FromSeconds(90) },
                Target("apps", "apps", a) with { DependsOn = ["infra"] },
            ],
        };
        await a.StartAsync(config);

        var sawWaiting = false;
        await AgentHarness.EventuallyAsync(
            async () =>
            {
                // The ConfigMap first, then the Deployment: a ConfigMap seen before a not-yet-Available
                // Deployment was written before infra was Healthy (Available never goes back here).
                var configMap = await a.Sync.ConfigMapAsync("app-config");
                var deployment = await a.Sync.GetAsync($"/apis/apps/v1/namespaces/{a.Namespace}/deployments/db");
                var available = deployment is not null && Available(deployment) is not null;
                Assert.False(configMap is not null && !available, "apps' ConfigMap exists while infra's Deployment is not Available");
                sawWaiting |= deployment is not null && !available;
                return configMap;
            },
            TimeSpan.FromSeconds(120),
            "apps' ConfigMap");

        var synced = await a.WaitForStatusAsync(commit, "Synced", TimeSpan.FromSeconds(30), target: "apps");
        var created = DateTimeOffset.Parse((string)(await a.Sync.ConfigMapAsync("app-config"))!["metadata"]!["creationTimestamp"]!, System.Globalization.CultureInfo.InvariantCulture);
        var availableAt = Available((await a.Sync.GetAsync($"/apis/apps/v1/namespaces/{a.Namespace}/deployments/db"))!)!.Value;
        output.WriteLine($"db Available at {availableAt:O}, app-config created at {created:O}, status {synced.Target} {synced.Phase} {synced.Health}");

        Assert.True(sawWaiting, "infra's Deployment was never seen un-Available: the wait was not exercised");
        Assert.True(created >= availableAt, $"app-config created {created:O}, before db was Available at {availableAt:O}");
    }

    private static TargetConfig Target(string name, string path, AgentHarness a) =>
        new(name, a.Remote, "main", path) { Interval = a.Interval, Prune = true, DefaultNamespace = a.Namespace };

    /// <summary>When the Deployment's Available condition became True, or null while it is not.</summary>
    private static DateTimeOffset? Available(JsonObject deployment) =>
        (deployment["status"]?["conditions"] as JsonArray)?
            .FirstOrDefault(c => (string?)c?["type"] == "Available" && (string?)c?["status"] == "True") is { } condition
            ? DateTimeOffset.Parse((string)condition["lastTransitionTime"]!, System.Globalization.CultureInfo.InvariantCulture)
            : null;
}
