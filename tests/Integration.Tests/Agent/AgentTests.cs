using System.Diagnostics;
using Xunit.Abstractions;
using GitOps.Integration.Tests.Sync;

namespace GitOps.Integration.Tests.Agent;

/// <summary>The agent unattended: commits pushed, broken, fixed; edits in the cluster; replicas; outages of git.</summary>
public sealed class AgentTests(ClusterFixture cluster, ITestOutputHelper output) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Agent_GoodBadGoodCommits_ReportsOnEachAndKeepsLastGoodState()
    {
        await using var a = new AgentHarness(cluster, "agent");
        a.Sync.Repo.Write("a.yaml", Yaml.ConfigMap(a.Namespace, "a", ("k", "1"))).Commit("good");
        var good = a.Push();
        await a.StartAsync(a.Config("solo"));

        var synced = await a.WaitForStatusAsync(good, "Synced", TimeSpan.FromSeconds(30));
        Assert.Equal(1, synced.Counts["created"]);

        a.Sync.Repo.Write("a.yaml", Yaml.ConfigMap(a.Namespace, "a", ("k", "2"))).Write("broken.yaml", "kind: [").Commit("bad");
        var bad = a.Push();
        var failed = await a.WaitForStatusAsync(bad, "Failed", TimeSpan.FromSeconds(30));
        Assert.Contains("broken.yaml:", failed.Message, StringComparison.Ordinal);
        Assert.Contains($"stays at {good[..12]}", failed.Message, StringComparison.Ordinal);
        Assert.Equal("1", (string?)(await a.Sync.ConfigMapAsync("a"))!["data"]!["k"]);

        a.Sync.Repo.Delete("broken.yaml").Commit("fix");
        var fix = a.Push();
        await a.WaitForStatusAsync(fix, "Synced", TimeSpan.FromSeconds(30));
        Assert.Equal("2", (string?)(await a.Sync.ConfigMapAsync("a"))!["data"]!["k"]);
    }

    [Fact]
    public async Task Agent_SymlinkInANewCommit_NotesFailedOnItAndTellsAnEvent()
    {
        await using var a = new AgentHarness(cluster, "agentlink");
        a.Sync.Repo.Write("a.yaml", Yaml.ConfigMap(a.Namespace, "a", ("k", "1"))).Commit("good");
        var good = a.Push();
        await a.StartAsync(a.Config("solo"));
        await a.WaitForStatusAsync(good, "Synced", TimeSpan.FromSeconds(30));

        Processes.Run("ln", a.Sync.Repo.Root, null, "-s", "/etc/passwd", "leak.yaml");
        a.Sync.Repo.Commit("a symlink out of the repository");
        var linked = a.Push();

        // A source-stage failure of a known commit is told like any other: on the commit and in an Event.
        var failed = await a.WaitForStatusAsync(linked, "Failed", TimeSpan.FromSeconds(30));
        Assert.Contains("leak.yaml", failed.Message, StringComparison.Ordinal);
        Assert.Contains("symlink", failed.Message, StringComparison.Ordinal);
        var warning = await AgentHarness.EventuallyAsync(async () =>
        {
            var list = await a.Sync.GetAsync($"/api/v1/namespaces/{a.Namespace}/events");
            return list!["items"]!.AsArray().Select(e => e!.AsObject())
                .FirstOrDefault(e => (string?)e["involvedObject"]!["name"] == "gitops-app" && (string?)e["reason"] == "SyncFailed");
        }, TimeSpan.FromSeconds(20), "a SyncFailed Event on the target's ApplySet parent");
        Assert.StartsWith($"{linked[..12]}: ", (string?)warning["message"], StringComparison.Ordinal);
        Assert.Contains("leak.yaml", (string?)warning["message"], StringComparison.Ordinal);
        Assert.Equal("1", (string?)(await a.Sync.ConfigMapAsync("a"))!["data"]!["k"]);
    }

    [Fact]
    public async Task Agent_ObjectEditedInCluster_IsPutBackByTheWatchLongBeforeTheInterval()
    {
        // A one-minute interval: only the watch on the member collection can heal within 15 s.
        await using var a = new AgentHarness(cluster, "heal") { Interval = TimeSpan.FromSeconds(60) };
        a.Sync.Repo.Write("a.yaml", Yaml.ConfigMap(a.Namespace, "a", ("k", "git"))).Commit("first");
        await a.StartAsync(a.Config("solo"));
        await a.WaitForStatusAsync(a.Push(), "Synced", TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(2)); // the first pass's own events settle

        a.Sync.Kubectl("-n", a.Namespace, "patch", "configmap", "a", "--type=merge", "-p", """{"data":{"k":"hand-edited"}}""");
        var clock = Stopwatch.StartNew();
        await AgentHarness.EventuallyAsync(
            async () => (string?)(await a.Sync.ConfigMapAsync("a"))!["data"]!["k"] == "git" ? "healed" : null,
            TimeSpan.FromSeconds(15),
            "self-heal");
        output.WriteLine($"self-heal took {clock.ElapsedMilliseconds} ms with a {a.Interval.TotalSeconds}s interval");
    }

    [Fact]
    public async Task Agent_TwoReplicas_OnlyTheLeaderSyncsAndTheOtherTakesOver()
    {
        await using var a = new AgentHarness(cluster, "ha");
        a.Sync.Repo.Write("a.yaml", Yaml.ConfigMap(a.Namespace, "a", ("k", "1"))).Commit("first");
        var first = a.Push();
        var one = await a.StartAsync(a.Config("replica-1"));
        var two = await a.StartAsync(a.Config("replica-2"));
        await a.WaitForStatusAsync(first, "Synced", TimeSpan.FromSeconds(30));

        var (leader, follower) = AgentHarness.Metrics(one).Render().Contains("gitops_leader 1", StringComparison.Ordinal) ? (one, two) : (two, one);
        Assert.Contains("gitops_leader 1", AgentHarness.Metrics(leader).Render(), StringComparison.Ordinal);
        Assert.DoesNotContain("gitops_passes_total", AgentHarness.Metrics(follower).Render(), StringComparison.Ordinal);

        await leader.StopAsync();
        var clock = Stopwatch.StartNew();
        a.Sync.Repo.Write("a.yaml", Yaml.ConfigMap(a.Namespace, "a", ("k", "2"))).Commit("after failover");
        var second = a.Push();
        await a.WaitForStatusAsync(second, "Synced", TimeSpan.FromSeconds(30));
        output.WriteLine($"failover and sync took {clock.ElapsedMilliseconds} ms (lease 4s)");
        Assert.Contains("gitops_leader 1", AgentHarness.Metrics(follower).Render(), StringComparison.Ordinal);
        Assert.Equal("2", (string?)(await a.Sync.ConfigMapAsync("a"))!["data"]!["k"]);
    }

    [Fact]
    public async Task Agent_GitUnreachableAtStart_RecoversWithoutRestart()
    {
        await using var a = new AgentHarness(cluster, "gitdown");
        var missing = a.Remote + ".moved";
        Directory.Move(a.Remote, missing);
        var host = await a.StartAsync(a.Config("solo"));
        await AgentHarness.EventuallyAsync(
            () => Task.FromResult(AgentHarness.Metrics(host).Render().Contains("gitops_errors_total{target=\"app\",stage=\"source\"}", StringComparison.Ordinal) ? "error seen" : null),
            TimeSpan.FromSeconds(20),
            "a source error");

        Directory.Move(missing, a.Remote);
        a.Sync.Repo.Write("a.yaml", Yaml.ConfigMap(a.Namespace, "a", ("k", "1"))).Commit("first");
        await a.WaitForStatusAsync(a.Push(), "Synced", TimeSpan.FromSeconds(40));
    }

    [Fact]
    public async Task Agent_GitDownAndAHandEdit_PutsItBackFromTheLastCommitRead()
    {
        await using var a = new AgentHarness(cluster, "githeal");
        a.Sync.Repo.Write("a.yaml", Yaml.ConfigMap(a.Namespace, "a", ("k", "git"))).Commit("first");
        var host = await a.StartAsync(a.Config("solo"));
        await a.WaitForStatusAsync(a.Push(), "Synced", TimeSpan.FromSeconds(30));

        Directory.Move(a.Remote, a.Remote + ".away"); // the git server is down from here on
        var readiness = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<GitOps.Agent.Hosting.AgentReadiness>(host.Services);
        await AgentHarness.EventuallyAsync(() => Task.FromResult(readiness.Reason.Contains("git/app: cannot reach the repository", StringComparison.Ordinal) ? "said" : null), TimeSpan.FromSeconds(20), "readiness naming git");
        a.Sync.Kubectl("-n", a.Namespace, "patch", "configmap", "a", "--type=merge", "-p", """{"data":{"k":"hand-edited"}}""");

        await AgentHarness.EventuallyAsync(
            async () => (string?)(await a.Sync.ConfigMapAsync("a"))!["data"]!["k"] == "git" ? "healed" : null,
            TimeSpan.FromSeconds(20),
            "self-heal while git is down");
        Assert.Contains("gitops_reachable{dependency=\"git\",target=\"app\"} 0", AgentHarness.Metrics(host).Render(), StringComparison.Ordinal);
        Directory.Move(a.Remote + ".away", a.Remote);
    }
}
