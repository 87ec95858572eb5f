using System.Diagnostics;
using GitOps.Integration.Tests.Sync;
using Xunit.Abstractions;

namespace GitOps.Integration.Tests.Agent;

/// <summary>
/// A target without a timeout: its pass reports health once, when it ends; the agent then follows
/// the members' status through its watches and reports the same revision again when the rollout
/// finishes (no new commit, no re-apply), on the real server with the pod simulator.
/// </summary>
public sealed class HealthFollowTests(ClusterFixture cluster, ITestOutputHelper output) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Agent_TargetWithoutTimeout_NoteGoesFromProgressingToHealthyWithoutANewCommit()
    {
        // A long interval: no periodic pass (nor the 10-minute resync) can be what reports Healthy.
        await using var a = new AgentHarness(cluster, "follow") { Interval = TimeSpan.FromSeconds(120) };
        a.Sync.Repo.Write("web.yaml", ReleaseYaml.Deployment(a.Namespace, "web", "web:1", readySeconds: 4))
            .Write("settings.yaml", ReleaseYaml.ConfigMap(a.Namespace, "settings", "1"))
            .Commit("a Deployment whose pod is Ready 4 s after it runs");
        var commit = a.Push();
        await a.StartAsync(a.Config("one"));

        var first = await a.WaitForStatusAsync(commit, "Synced", TimeSpan.FromSeconds(60));
        var clock = Stopwatch.StartNew();
        var generation = (long?)(await a.Sync.GetAsync($"/apis/apps/v1/namespaces/{a.Namespace}/deployments/web"))!["metadata"]!["generation"];
        var healthy = await AgentHarness.EventuallyAsync(
            async () => await a.WaitForStatusAsync(commit, "Synced", TimeSpan.FromSeconds(1)) is { Health: "Healthy" } e ? e : null,
            TimeSpan.FromSeconds(60), "a Synced Healthy note");
        output.WriteLine($"Synced {first.Health} → Synced Healthy {clock.ElapsedMilliseconds} ms later");

        Assert.Equal("Progressing", first.Health); // the pass itself did not wait: the pod needs 4 s
        Assert.Equal(commit, a.Sync.Repo.Head);
        Assert.Equal(first.Counts, healthy.Counts); // the release's counts (created=2), not a no-op pass's
        Assert.Equal(2, healthy.Counts["created"]);
        var deployment = (await a.Sync.GetAsync($"/apis/apps/v1/namespaces/{a.Namespace}/deployments/web"))!;
        Assert.Equal(generation, (long?)deployment["metadata"]!["generation"]); // nothing was applied again
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed.TotalSeconds:0.0}s");
        var events = await AgentHarness.EventuallyAsync(async () =>
        {
            var list = await a.Sync.GetAsync($"/api/v1/namespaces/{a.Namespace}/events");
            var messages = list!["items"]!.AsArray().Where(e => (string?)e!["involvedObject"]!["name"] == "gitops-app").Select(e => (string)e!["message"]!).ToList();
            return messages.Any(m => m.Contains("now Healthy", StringComparison.Ordinal)) ? messages : null;
        }, TimeSpan.FromSeconds(10), "an Event saying the revision is now Healthy");
        Assert.Equal([$"{commit[..12]}: created=2", $"{commit[..12]}: now Healthy (created=2)"], events.Order(StringComparer.Ordinal));
    }
}
