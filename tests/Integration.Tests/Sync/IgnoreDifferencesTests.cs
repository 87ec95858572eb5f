using GitOps.Agent.Sync;
using GitOps.Diff.Drift;

namespace GitOps.Integration.Tests.Sync;

/// <summary>
/// ignoreDifferences against a real API server: a Deployment scaled by hand (as an autoscaler
/// would) is not drift, and an apply for another change sends the live replicas, so the scale
/// survives it.
/// </summary>
public sealed class IgnoreDifferencesTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Sync_ReplicasIgnoredAndScaledByHand_NoDriftAndAnotherChangeKeepsTheScale()
    {
        await using var h = new SyncHarness(cluster, "ignore");
        h.Target = h.Target with { Ignore = [new IgnoreRule("apps", "Deployment", null, null, ["/spec/replicas"])] };
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace)).Write("web.yaml", Deployment(h.Namespace, "v1")).Commit("web with 2 replicas");
        var first = await h.SyncAsync();
        Assert.True(first.Phase == SyncPhase.Synced, first.Message);
        Assert.Equal(2, await ReplicasAsync(h));

        h.Kubectl("scale", "deployment", "web", "-n", h.Namespace, "--replicas=5");
        var resync = await h.SyncAsync();

        Assert.Equal(SyncAction.Unchanged, Web(resync).Action);
        Assert.False(resync.HasDrift, resync.Message);
        Assert.Equal(5, await ReplicasAsync(h));

        h.Repo.Write("web.yaml", Deployment(h.Namespace, "v2")).Commit("annotate web anew");
        var changed = await h.SyncAsync();

        Assert.True(changed.Phase == SyncPhase.Synced, changed.Message);
        Assert.Equal(SyncAction.Configured, Web(changed).Action);
        Assert.DoesNotContain(Web(changed).Changes, c => c.Path.Contains("replicas", StringComparison.Ordinal));
        var live = await h.GetAsync($"/apis/apps/v1/namespaces/{h.Namespace}/deployments/web");
        Assert.Equal("v2", (string?)live!["metadata"]!["annotations"]!["example.com/note"]);
        Assert.Equal(5, (int)live["spec"]!["replicas"]!);
    }

    private static ObjectResult Web(SyncResult result) => Assert.Single(result.Objects, o => o.Key.Kind == "Deployment");

    private static async Task<int> ReplicasAsync(SyncHarness h) =>
        (int)(await h.GetAsync($"/apis/apps/v1/namespaces/{h.Namespace}/deployments/web"))!["spec"]!["replicas"]!;

    private static string Deployment(string ns, string note) => $"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: {ns}
          annotations:
            example.com/note: "{note}"
        spec:
          replicas: 2
          selector:
            matchLabels: {"{"}app: web{"}"}
          template:
            metadata:
              labels: {"{"}app: web{"}"}
            spec:
              containers:
              - name: web
                image: nginx:1.25
        """;
}
