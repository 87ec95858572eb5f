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

    [Fact]
    public async Task Cli_IgnoreDifferencesFile_ReachesDiffAndSync()
    {
        await using var cli = new GitOpsCli(cluster, "ignorecli");
        cli.Work.Write("ns.yaml", Yaml.Namespace(cli.Namespace)).Write("web.yaml", Deployment(cli.Namespace, "v1"));
        cli.CommitAndPush("web with 2 replicas");
        var rules = Path.Combine(Path.GetTempPath(), ClusterFixture.UniqueName("ignore") + ".yaml");
        File.WriteAllText(rules, "- {group: apps, kind: Deployment, jsonPointers: [/spec/replicas]}\n");
        try
        {
            var first = cli.Run(cli.SyncArgs("text"));
            Assert.True(first.ExitCode == 0, first.Stdout + first.Stderr);
            cli.Kubectl("scale", "deployment", "web", "-n", cli.Namespace, "--replicas=5");
            string[] diff = ["diff", .. cli.SyncArgs("text").Skip(1)];

            var plain = cli.Run(diff);
            var ignored = cli.Run([.. diff, "--ignore-differences", rules]);
            var sync = cli.Run(cli.SyncArgs("text", null, "--ignore-differences", rules));

            Assert.True(plain.ExitCode == 1, $"without the file the scale is drift: exit {plain.ExitCode}: {plain.Stdout}{plain.Stderr}");
            Assert.True(ignored.ExitCode == 0, $"with the file it is not: exit {ignored.ExitCode}: {ignored.Stdout}{ignored.Stderr}");
            Assert.True(sync.ExitCode == 0, sync.Stdout + sync.Stderr);
            var live = await cli.GetAsync($"/apis/apps/v1/namespaces/{cli.Namespace}/deployments/web");
            Assert.Equal(5, (int)live!["spec"]!["replicas"]!); // not put back
        }
        finally
        {
            File.Delete(rules);
        }
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
