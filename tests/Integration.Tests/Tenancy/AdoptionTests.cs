using System.Text.Json.Nodes;
using GitOps.Agent.Sync;
using GitOps.Diff.Drift;

namespace GitOps.Integration.Tests.Tenancy;

/// <summary>
/// Objects that exist without being members of the target (made by kubectl or by hand): adopted
/// and reported as such by default, refused with the object named when the target says adopt: false.
/// </summary>
public sealed class AdoptionTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Sync_UnmanagedObjectExists_IsReportedAdoptedThenUnchanged()
    {
        await using var h = new SyncHarness(cluster, "adopt");
        await ExistingAsync(h);
        h.Repo.Write("a.yaml", Yaml.ConfigMap(h.Namespace, "a", ("k", "1"))).Write("b.yaml", Yaml.ConfigMap(h.Namespace, "b", ("k", "2"))).Commit("take it");

        var first = await h.SyncAsync();
        var second = await h.SyncAsync();

        Assert.Equal(SyncPhase.Synced, first.Phase);
        var adopted = Assert.Single(first.Objects, o => o.Key.Name == "a");
        Assert.Equal(SyncAction.Adopted, adopted.Action);
        Assert.StartsWith("adopted: it existed without being a member of the target", adopted.Message, StringComparison.Ordinal);
        Assert.Equal(SyncAction.Created, Assert.Single(first.Objects, o => o.Key.Name == "b").Action);
        Assert.Contains("adopted=1", first.Message, StringComparison.Ordinal);
        Assert.Equal(SyncAction.Unchanged, Assert.Single(second.Objects, o => o.Key.Name == "a").Action); // a member now
        Assert.Equal("1", (string?)(await h.ConfigMapAsync("a"))!["data"]!["k"]);
    }

    [Fact]
    public async Task Sync_AdoptFalse_RefusesTheRevisionNamingTheObject()
    {
        await using var h = new SyncHarness(cluster, "noadopt");
        await ExistingAsync(h);
        h.Target = h.Target with { Adopt = false };
        h.Repo.Write("a.yaml", Yaml.ConfigMap(h.Namespace, "a", ("k", "1"))).Write("b.yaml", Yaml.ConfigMap(h.Namespace, "b", ("k", "2"))).Commit("take it");

        var result = await h.SyncAsync();

        Assert.Equal(SyncPhase.Failed, result.Phase);
        Assert.Contains($"ConfigMap/{h.Namespace}/a: exists and is not managed by this target; the target does not adopt (adopt: false)", result.Message, StringComparison.Ordinal);
        Assert.Equal("mine", (string?)(await h.ConfigMapAsync("a"))!["data"]!["k"]); // untouched
        Assert.Null(await h.ConfigMapAsync("b")); // nothing of the revision was written
    }

    [Fact]
    public async Task Sync_AdoptFalse_OwnMembersStillSync()
    {
        await using var h = new SyncHarness(cluster, "noadopt2");
        h.Target = h.Target with { Adopt = false };
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace)).Write("a.yaml", Yaml.ConfigMap(h.Namespace, "a", ("k", "1"))).Commit("first");
        Assert.Equal(SyncPhase.Synced, (await h.SyncAsync()).Phase);

        h.Repo.Write("a.yaml", Yaml.ConfigMap(h.Namespace, "a", ("k", "2"))).Commit("second");
        var result = await h.SyncAsync();

        Assert.Equal(SyncPhase.Synced, result.Phase);
        Assert.Equal(SyncAction.Configured, Assert.Single(result.Objects, o => o.Key.Name == "a").Action);
    }

    /// <summary>The test's namespace with a ConfigMap <c>a</c> made by kubectl, outside any target.</summary>
    private static async Task ExistingAsync(SyncHarness h)
    {
        await h.Api.CreateAsync("/api/v1/namespaces", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = h.Namespace } }, CancellationToken.None);
        h.Kubectl("create", "configmap", "a", "-n", h.Namespace, "--from-literal=k=mine");
    }
}
