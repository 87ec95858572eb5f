using GitOps.Agent.Sync;
using GitOps.Diff.Health;
using GitOps.Integration.Tests.Agent;
using static GitOps.Integration.Tests.Environment.SimulatedWorkloads;

namespace GitOps.Integration.Tests.Environment;

/// <summary>
/// The test environment's pods run (tests/PodSimulator, started by eng/testenv.sh): workloads
/// synced by the real engine reach the states the real controllers report for a real kubelet.
/// </summary>
public sealed class PodSimulatorTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Sync_Deployment_BecomesAvailableAndHealthy()
    {
        await using var h = new SyncHarness(cluster, "sim-deploy");
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace))
            .Write("web.yaml", Manifests.Deployment(h.Namespace, "web", "app=web")).Commit("web");

        var result = await h.SyncAsync(timeout: Patience);

        Assert.Equal((SyncPhase.Synced, HealthStatus.Healthy), (result.Phase, result.Health));
        var web = (await h.GetAsync($"/apis/apps/v1/namespaces/{h.Namespace}/deployments/web"))!;
        Assert.True(HasCondition(web, "Available"), web.ToJsonString());
        var pod = Assert.Single(Pods(h, "app=web"))!;
        Assert.Equal("Running", (string?)pod["status"]!["phase"]);
        Assert.Equal(System.Environment.GetEnvironmentVariable("GITOPS_TESTENV_NODE") ?? "gitops-sim-node", (string?)pod["spec"]!["nodeName"]);
    }

    [Fact]
    public async Task Sync_StatefulSetWithClaimTemplate_BecomesReadyWithItsClaimBound()
    {
        await using var h = new SyncHarness(cluster, "sim-sts");
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace)).Write("db.yaml", StatefulSet(h.Namespace, "db")).Commit("db");

        var result = await h.SyncAsync(timeout: Patience);

        Assert.Equal((SyncPhase.Synced, HealthStatus.Healthy), (result.Phase, result.Health));
        var db = (await h.GetAsync($"/apis/apps/v1/namespaces/{h.Namespace}/statefulsets/db"))!;
        Assert.Equal(1, (int?)db["status"]!["readyReplicas"]);
        var claim = (await h.GetAsync($"/api/v1/namespaces/{h.Namespace}/persistentvolumeclaims/data-db-0"))!;
        Assert.Equal("Bound", (string?)claim["status"]!["phase"]);
        Assert.Equal("2Gi", (string?)claim["status"]!["capacity"]!["storage"]);
    }

    [Fact]
    public async Task Sync_Job_TheJobControllerMarksItComplete()
    {
        await using var h = new SyncHarness(cluster, "sim-job");
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace)).Write("job.yaml", Job(h.Namespace, "migrate")).Commit("job");

        Assert.Equal(SyncPhase.Synced, (await h.SyncAsync(timeout: Patience)).Phase);

        var job = await WaitForAsync(h, $"/apis/batch/v1/namespaces/{h.Namespace}/jobs/migrate", j => HasCondition(j, "Complete"), "Job Complete");
        Assert.Equal(1, (int?)job["status"]!["succeeded"]);
        var pod = Assert.Single(Pods(h, "job-name=migrate"))!;
        Assert.Equal("Succeeded", (string?)pod["status"]!["phase"]);
        Assert.Equal("Completed", (string?)pod["status"]!["containerStatuses"]![0]!["state"]!["terminated"]!["reason"]);
    }

    [Fact]
    public async Task Sync_JobExitingWithOne_FailsWithBackoffLimitZeroAndIsDegraded()
    {
        await using var h = new SyncHarness(cluster, "sim-fail");
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace)).Write("job.yaml", Job(h.Namespace, "migrate", exitCode: 1)).Commit("failing job");
        await h.SyncAsync(timeout: Patience);

        var job = await WaitForAsync(h, $"/apis/batch/v1/namespaces/{h.Namespace}/jobs/migrate", j => HasCondition(j, "Failed"), "Job Failed");

        Assert.Equal("BackoffLimitExceeded", (string?)job["status"]!["conditions"]!.AsArray().First(c => (string?)c!["type"] == "Failed")!["reason"]);
        var terminated = Assert.Single(Pods(h, "job-name=migrate"))!["status"]!["containerStatuses"]![0]!["state"]!["terminated"]!;
        Assert.Equal((1, "Error"), ((int?)terminated["exitCode"], (string?)terminated["reason"]));
        Assert.Equal(HealthStatus.Degraded, (await h.SyncAsync()).Health);
    }

    [Fact]
    public async Task Sync_JobWithRestartOnFailure_RestartsInPlaceUntilTheControllerGivesUp()
    {
        await using var h = new SyncHarness(cluster, "sim-restart");
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace))
            .Write("job.yaml", Job(h.Namespace, "migrate", exitCode: 2, restartPolicy: "OnFailure")).Commit("failing job");
        await h.SyncAsync(timeout: Patience);

        var job = await WaitForAsync(h, $"/apis/batch/v1/namespaces/{h.Namespace}/jobs/migrate", j => HasCondition(j, "Failed"), "Job Failed");

        // With OnFailure the kubelet restarts the container; the controller counts restarts against backoffLimit 0.
        Assert.Equal("BackoffLimitExceeded", (string?)job["status"]!["conditions"]!.AsArray().First(c => (string?)c!["type"] == "Failed")!["reason"]);
    }

    [Fact]
    public async Task ReadySeconds_DeploymentTemplate_PodRunsUnreadyFirstAndBecomesReadyNoSoonerThanAsked()
    {
        await using var h = new SyncHarness(cluster, "sim-ready");
        // A Deployment rather than a bare Pod: the annotation comes through the template, and a Pod
        // created right after its Namespace may meet the ServiceAccount admission before the account exists.
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace))
            .Write("web.yaml", Manifests.Deployment(h.Namespace, "web", "app=web", readySeconds: 5)).Commit("slow web");
        var synced = await h.SyncAsync();
        Assert.True(synced.Phase == SyncPhase.Synced, synced.Message);
        var name = await AgentHarness.EventuallyAsync(() => Task.FromResult(Pods(h, "app=web") is [{ } pod] ? (string?)pod["metadata"]!["name"] : null), Patience, "the pod");
        var path = $"/api/v1/namespaces/{h.Namespace}/pods/{name}";

        var running = await WaitForAsync(h, path, p => (string?)p["status"]?["phase"] == "Running", "pod Running");
        var ready = await WaitForAsync(h, path, p => HasCondition(p, "Ready"), "pod Ready");

        Assert.False(HasCondition(running, "Ready"), running.ToJsonString());
        var started = DateTimeOffset.Parse((string)ready["status"]!["startTime"]!, System.Globalization.CultureInfo.InvariantCulture);
        // Times have second precision: 5 s asked for shows as at least 4.
        Assert.True(Transition(ready) - started >= TimeSpan.FromSeconds(4), $"Ready at {Transition(ready)}, started {started}");
    }

    [Fact]
    public async Task Sync_NewImage_RolloutCompletesAndOldPodsAreDeleted()
    {
        await using var h = new SyncHarness(cluster, "sim-rollout");
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace))
            .Write("web.yaml", Manifests.Deployment(h.Namespace, "web", "app=web", image: "nginx:1.25")).Commit("v1");
        Assert.Equal(HealthStatus.Healthy, (await h.SyncAsync(timeout: Patience)).Health);
        h.Repo.Write("web.yaml", Manifests.Deployment(h.Namespace, "web", "app=web", image: "nginx:1.27")).Commit("v2");

        var result = await h.SyncAsync(timeout: Patience);

        Assert.Equal((SyncPhase.Synced, HealthStatus.Healthy), (result.Phase, result.Health));
        await AgentHarness.EventuallyAsync(
            () => Task.FromResult(Pods(h, "app=web") is [{ } only] && (string?)only["spec"]!["containers"]![0]!["image"] == "nginx:1.27" ? "one new pod" : null),
            Patience, "the old pod deleted");
    }

    private static DateTimeOffset Transition(System.Text.Json.Nodes.JsonObject pod) =>
        DateTimeOffset.Parse((string)pod["status"]!["conditions"]!.AsArray().First(c => (string?)c!["type"] == "Ready")!["lastTransitionTime"]!, System.Globalization.CultureInfo.InvariantCulture);
}
