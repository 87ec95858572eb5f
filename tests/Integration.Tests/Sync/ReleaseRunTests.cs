using System.Globalization;
using System.Text.Json.Nodes;
using GitOps.Agent.Sync;
using GitOps.Diff.Release;

namespace GitOps.Integration.Tests.Sync;

/// <summary>
/// A release whose pods run (the test environment's pod simulator): a migration Job as a
/// PreSync hook, a database in wave 0 and web in wave 1, order observed through the API.
/// </summary>
public sealed class ReleaseRunTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Sync_MigrationHookAndTwoWaves_MigrationCompleteBeforeDbAndDbAvailableBeforeWeb()
    {
        await using var h = new SyncHarness(cluster, "release");
        h.Kubectl("create", "namespace", h.Namespace);
        h.Repo.Write("migrate.yaml", Job(h.Namespace, "migrate", runSeconds: 2, exitCode: 0))
            .Write("db.yaml", Deployment(h.Namespace, "db", "postgres:16", wave: 0, readySeconds: 2))
            .Write("web.yaml", Deployment(h.Namespace, "web", "web:1", wave: 1, readySeconds: 0))
            .Commit("release");

        var result = await h.SyncAsync(timeout: Timeout);

        Assert.True(result.Phase == SyncPhase.Synced, result.Message);
        Assert.Equal((HookPhase.PreSync, HookOutcome.Succeeded), (result.Hooks.Single().Phase, result.Hooks.Single().Outcome));
        var job = (await h.GetAsync($"/apis/batch/v1/namespaces/{h.Namespace}/jobs/migrate"))!;
        var db = (await h.GetAsync($"/apis/apps/v1/namespaces/{h.Namespace}/deployments/db"))!;
        var web = (await h.GetAsync($"/apis/apps/v1/namespaces/{h.Namespace}/deployments/web"))!;
        // Times are whole seconds: "written after" holds as >=, and an ungated release would write web seconds earlier.
        Assert.True(Time(db["metadata"]!["creationTimestamp"]) >= Time(job["status"]!["completionTime"]), "db written before the migration completed");
        Assert.True(Time(web["metadata"]!["creationTimestamp"]) >= Time(Available(db)), "web written before db became Available");
    }

    [Fact]
    public async Task Sync_MigrationFails_RevisionFailsNamingJobAndPodAndWebKeepsOldImage()
    {
        await using var h = new SyncHarness(cluster, "migfail");
        h.Kubectl("create", "namespace", h.Namespace);
        h.Repo.Write("web.yaml", Deployment(h.Namespace, "web", "web:1", wave: 1, readySeconds: 0)).Commit("v1");
        Assert.Equal(SyncPhase.Synced, (await h.SyncAsync(timeout: Timeout)).Phase);

        h.Repo.Write("web.yaml", Deployment(h.Namespace, "web", "web:2", wave: 1, readySeconds: 0))
            .Write("migrate.yaml", Job(h.Namespace, "migrate", runSeconds: 1, exitCode: 3))
            .Commit("v2 with a broken migration");
        var failed = await h.SyncAsync(timeout: Timeout);

        Assert.Equal(SyncPhase.Failed, failed.Phase);
        Assert.Contains("PreSync hook Job/", failed.Message, StringComparison.Ordinal);
        Assert.Contains("/migrate failed", failed.Message, StringComparison.Ordinal);
        Assert.Contains("exit code 3", failed.Message, StringComparison.Ordinal);
        Assert.Equal("web:1", await ImageAsync(h, "web"));

        h.Repo.Write("migrate.yaml", Job(h.Namespace, "migrate", runSeconds: 1, exitCode: 0)).Commit("v2 with the migration fixed");
        var fixedRelease = await h.SyncAsync(timeout: Timeout);

        Assert.True(fixedRelease.Phase == SyncPhase.Synced, fixedRelease.Message);
        Assert.Equal("web:2", await ImageAsync(h, "web"));
        Assert.Equal(HookOutcome.Succeeded, fixedRelease.Hooks.Single().Outcome); // the failed Job of the same name was replaced, not rejected
    }

    private static async Task<string?> ImageAsync(SyncHarness h, string name) =>
        (string?)(await h.GetAsync($"/apis/apps/v1/namespaces/{h.Namespace}/deployments/{name}"))!["spec"]!["template"]!["spec"]!["containers"]![0]!["image"];

    private static DateTimeOffset Time(JsonNode? node) => DateTimeOffset.Parse((string)node!, CultureInfo.InvariantCulture);

    private static JsonNode? Available(JsonObject deployment) =>
        (deployment["status"]!["conditions"] as JsonArray)!.OfType<JsonObject>().Single(c => (string?)c["type"] == "Available")["lastTransitionTime"];

    private static string Job(string ns, string name, int runSeconds, int exitCode) =>
        ReleaseYaml.Job(ns, name, runSeconds, exitCode, ("gitops.dev/hook", "PreSync"));

    private static string Deployment(string ns, string name, string image, int wave, int readySeconds) =>
        ReleaseYaml.Deployment(ns, name, image, readySeconds, ("gitops.dev/sync-wave", $"{wave}"));
}
