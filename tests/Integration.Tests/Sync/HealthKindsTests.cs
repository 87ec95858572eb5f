using GitOps.Agent.Sync;
using GitOps.Diff.Health;
using static GitOps.Integration.Tests.Environment.SimulatedWorkloads;

namespace GitOps.Integration.Tests.Sync;

/// <summary>
/// Health of the kinds a Django stack meets, judged on what the real controllers (and the pod
/// simulator, standing in for the ingress controller) write on this server.
/// </summary>
public sealed class HealthKindsTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Sync_IngressTheControllerAnswers_IsHealthyAtItsAddress()
    {
        await using var h = new SyncHarness(cluster, "ingress");
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace)).Write("web.yaml", Ingress(h.Namespace, "web", noAddress: false)).Commit("ingress");

        var result = await h.SyncAsync(timeout: Patience);

        Assert.Equal((SyncPhase.Synced, HealthStatus.Healthy), (result.Phase, result.Health));
        Assert.Equal("127.0.0.1", (string?)(await h.GetAsync($"/apis/networking.k8s.io/v1/namespaces/{h.Namespace}/ingresses/web"))!["status"]!["loadBalancer"]!["ingress"]![0]!["ip"]);
    }

    [Fact]
    public async Task Sync_IngressNoControllerAnswers_FailsTheWaitAsProgressing()
    {
        await using var h = new SyncHarness(cluster, "ingress-none");
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace)).Write("web.yaml", Ingress(h.Namespace, "web", noAddress: true)).Commit("ingress nobody serves");

        var result = await h.SyncAsync(timeout: TimeSpan.FromSeconds(4));

        Assert.Equal(SyncPhase.Failed, result.Phase);
        Assert.Contains($"Ingress/{h.Namespace}/web is Progressing", result.Message, StringComparison.Ordinal);
        var web = Assert.Single(result.Objects, o => o.Key.Kind == "Ingress");
        Assert.Equal(HealthStatus.Progressing, web.Health);
    }

    [Fact]
    public async Task Sync_HorizontalPodAutoscalerWithoutMetricsServer_IsHealthyAndSaysItDoesNotAutoscale()
    {
        await using var h = new SyncHarness(cluster, "hpa");
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace))
            .Write("web.yaml", Manifests.Deployment(h.Namespace, "web", "app=web"))
            .Write("hpa.yaml", Autoscaler(h.Namespace, "web")).Commit("web with an autoscaler");

        // The HPA controller looks every 15 s; this server has no metrics API, so it reports FailedGetResourceMetric.
        var result = await h.SyncAsync(timeout: Patience);

        Assert.Equal((SyncPhase.Synced, HealthStatus.Healthy), (result.Phase, result.Health));
        var hpa = (await h.GetAsync($"/apis/autoscaling/v2beta2/namespaces/{h.Namespace}/horizontalpodautoscalers/web"))!;
        var active = hpa["status"]!["conditions"]!.AsArray().First(c => (string?)c!["type"] == "ScalingActive")!;
        Assert.Equal(("False", "FailedGetResourceMetric"), ((string?)active["status"], (string?)active["reason"]));
        Assert.Contains("not autoscaling", HealthAssessor.Assess(hpa).Reason, StringComparison.Ordinal);
    }

    internal static string Ingress(string ns, string name, bool noAddress) => $"""
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: {name}
          namespace: {ns}
          annotations:
            sim.gitops.dev/no-address: "{(noAddress ? "true" : "false")}"
        spec:
          ingressClassName: nginx
          rules:
          - host: {name}.example.com
            http:
              paths:
              - path: /
                pathType: Prefix
                backend:
                  service:
                    name: {name}
                    port:
                      number: 80
        """;

    private static string Autoscaler(string ns, string name) => $"""
        apiVersion: autoscaling/v2beta2
        kind: HorizontalPodAutoscaler
        metadata:
          name: {name}
          namespace: {ns}
        spec:
          scaleTargetRef:
            apiVersion: apps/v1
            kind: Deployment
            name: {name}
          minReplicas: 1
          maxReplicas: 3
          metrics:
          - type: Resource
            resource:
              name: cpu
              target:
                type: Utilization
                averageUtilization: 70
        """;
}
