using GitOps.Agent.Sync;
using GitOps.Diff.Drift;

namespace GitOps.Integration.Tests.Sync;

/// <summary>The main job against a real API server: each test has its own repository, namespace and target.</summary>
public sealed class SyncEngineTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Sync_FirstThenSameCommit_CreatesThenSendsNoWrites()
    {
        await using var h = new SyncHarness(cluster, "noop");
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace))
            .Write("app/a.yaml", Yaml.ConfigMap(h.Namespace, "a", ("k", "1")))
            .Write("app/b.yaml", Yaml.ConfigMap(h.Namespace, "b", ("k", "2")))
            .Commit("first");

        var first = await h.SyncAsync();
        Assert.Equal(SyncPhase.Synced, first.Phase);
        Assert.Equal(3, first.Counts[SyncAction.Created]);

        var before = h.Api.Requests.Snapshot();
        var writesBefore = h.Api.Requests.Writes;
        var second = await h.SyncAsync();
        var after = h.Api.Requests.Snapshot();

        Assert.Equal(SyncPhase.Synced, second.Phase);
        Assert.All(second.Objects, o => Assert.Equal(SyncAction.Unchanged, o.Action));
        Assert.Equal(writesBefore, h.Api.Requests.Writes);
        Assert.Equal(before.GetValueOrDefault("PATCH (dry-run)"), after.GetValueOrDefault("PATCH (dry-run)"));
    }

    [Fact]
    public async Task Sync_OneFieldChanged_ConfiguresOnlyThatObject()
    {
        await using var h = new SyncHarness(cluster, "onefield");
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace))
            .Write("a.yaml", Yaml.ConfigMap(h.Namespace, "a", ("k", "1")))
            .Write("b.yaml", Yaml.ConfigMap(h.Namespace, "b", ("k", "2")))
            .Commit("first");
        await h.SyncAsync();

        h.Repo.Write("b.yaml", Yaml.ConfigMap(h.Namespace, "b", ("k", "3"))).Commit("change b");
        var result = await h.SyncAsync();

        var changed = Assert.Single(result.Objects, o => o.Action != SyncAction.Unchanged);
        Assert.Equal("b", changed.Key.Name);
        Assert.Equal(SyncAction.Configured, changed.Action);
        Assert.Equal("data.k", Assert.Single(changed.Changes).Path);
        Assert.Equal("3", (string?)(await h.ConfigMapAsync("b"))!["data"]!["k"]);
    }

    [Fact]
    public async Task Sync_FieldRemovedFromGit_IsRemovedFromCluster()
    {
        await using var h = new SyncHarness(cluster, "remove");
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace))
            .Write("a.yaml", Yaml.ConfigMap(h.Namespace, "a", ("keep", "1"), ("drop", "2")))
            .Commit("first");
        await h.SyncAsync();

        h.Repo.Write("a.yaml", Yaml.ConfigMap(h.Namespace, "a", ("keep", "1"))).Commit("drop a key");
        await h.SyncAsync();

        var data = (await h.ConfigMapAsync("a"))!["data"]!.AsObject();
        Assert.True(data.ContainsKey("keep"));
        Assert.False(data.ContainsKey("drop"));
    }

    [Fact]
    public async Task Sync_FieldLastSetByKubectlApply_IsTakenOverAndRemoved()
    {
        await using var h = new SyncHarness(cluster, "takeover");
        h.Kubectl("create", "namespace", h.Namespace);
        var file = Path.Combine(h.Repo.Root, "kubectl.yaml");
        File.WriteAllText(file, Yaml.ConfigMap(h.Namespace, "legacy", ("keep", "1"), ("old", "2")));
        h.Kubectl("apply", "-f", file); // client-side apply: fields owned by kubectl-client-side-apply
        File.Delete(file);

        h.Repo.Write("legacy.yaml", Yaml.ConfigMap(h.Namespace, "legacy", ("keep", "1"))).Commit("adopt without 'old'");
        var result = await h.SyncAsync();

        var legacy = Assert.Single(result.Objects);
        Assert.Equal(SyncAction.Adopted, legacy.Action); // not a member before: adopted, and kubectl's fields taken over
        Assert.EndsWith("took over fields owned by kubectl", legacy.Message, StringComparison.Ordinal);
        var live = (await h.ConfigMapAsync("legacy"))!;
        Assert.False(live["data"]!.AsObject().ContainsKey("old"));
        Assert.DoesNotContain("kubectl", live["metadata"]!["managedFields"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_ObjectEditedWithKubectl_IsPutBack()
    {
        await using var h = new SyncHarness(cluster, "selfheal");
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace))
            .Write("a.yaml", Yaml.ConfigMap(h.Namespace, "a", ("k", "git")))
            .Commit("first");
        await h.SyncAsync();

        h.Kubectl("-n", h.Namespace, "patch", "configmap", "a", "--type=merge", "-p", """{"data":{"k":"hand-edited","extra":"x"}}""");
        var result = await h.SyncAsync();

        Assert.Equal(SyncAction.Configured, Assert.Single(result.Objects, o => o.Key.Name == "a").Action);
        var data = (await h.ConfigMapAsync("a"))!["data"]!.AsObject();
        Assert.Equal("git", (string?)data["k"]);
        Assert.False(data.ContainsKey("extra"));
    }

    [Fact]
    public async Task Sync_OneObjectRejectedByServer_AppliesNothing()
    {
        await using var h = new SyncHarness(cluster, "reject");
        h.Kubectl("create", "namespace", h.Namespace);
        h.Repo.Write("a.yaml", Yaml.ConfigMap(h.Namespace, "a", ("k", "1")))
            .Write("bad.yaml", $"""
                apiVersion: v1
                kind: Service
                metadata:
                  name: bad
                  namespace: {h.Namespace}
                spec:
                  ports:
                  - port: 99999
                """)
            .Commit("one bad object");

        var result = await h.SyncAsync();

        Assert.Equal(SyncPhase.Failed, result.Phase);
        Assert.Contains("Service/" + h.Namespace + "/bad", result.Message, StringComparison.Ordinal);
        Assert.Null(await h.ConfigMapAsync("a"));
    }

    [Fact]
    public async Task Sync_YamlError_AppliesNothingAndNamesFileAndLine()
    {
        await using var h = new SyncHarness(cluster, "yamlerr");
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace))
            .Write("a.yaml", Yaml.ConfigMap(h.Namespace, "a", ("k", "1")))
            .Write("broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  name: y\n")
            .Commit("broken");

        var result = await h.SyncAsync();

        Assert.Equal(SyncPhase.Failed, result.Phase);
        Assert.True(result.InputError);
        Assert.StartsWith("broken.yaml:5:", result.Message, StringComparison.Ordinal);
        Assert.Null(await h.GetAsync($"/api/v1/namespaces/{h.Namespace}"));
    }

    [Fact]
    public async Task Sync_BrokenCommitThenGoodCommit_StaysAtLastGoodThenSyncs()
    {
        await using var h = new SyncHarness(cluster, "recover");
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace)).Write("a.yaml", Yaml.ConfigMap(h.Namespace, "a", ("k", "1"))).Commit("good");
        await h.SyncAsync();
        h.Repo.Write("a.yaml", Yaml.ConfigMap(h.Namespace, "a", ("k", "2"))).Write("bad.yaml", "kind: [").Commit("bad");
        Assert.Equal(SyncPhase.Failed, (await h.SyncAsync()).Phase);
        Assert.Equal("1", (string?)(await h.ConfigMapAsync("a"))!["data"]!["k"]);

        h.Repo.Delete("bad.yaml").Commit("fix");
        var fixedResult = await h.SyncAsync();

        Assert.Equal(SyncPhase.Synced, fixedResult.Phase);
        Assert.Equal("2", (string?)(await h.ConfigMapAsync("a"))!["data"]!["k"]);
    }

    [Theory]
    [InlineData("a-crd.yaml", "b-widget.yaml")]
    [InlineData("b-crd.yaml", "a-widget.yaml")]
    public async Task Sync_CrdAndItsResourceInOneCommit_WorksInEitherFileOrder(string crdFile, string widgetFile)
    {
        await using var h = new SyncHarness(cluster, "crd");
        var group = $"{h.Namespace}.example.com";
        h.CleanUp($"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.{group}");
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace))
            .Write(crdFile, Manifests.WidgetCrd(group))
            .Write(widgetFile, Manifests.Widget(group, h.Namespace, "w1", 3))
            .Commit("crd and widget");

        var result = await h.SyncAsync();

        Assert.Equal(SyncPhase.Synced, result.Phase);
        Assert.NotNull(await h.GetAsync($"/apis/{group}/v1/namespaces/{h.Namespace}/widgets/w1"));
        Assert.All((await h.SyncAsync()).Objects, o => Assert.Equal(SyncAction.Unchanged, o.Action));
    }

    [Fact]
    public async Task Sync_GitRevertOfLastCommit_ReturnsClusterToPreviousState()
    {
        await using var h = new SyncHarness(cluster, "revert");
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace))
            .Write("a.yaml", Yaml.ConfigMap(h.Namespace, "a", ("k", "1")))
            .Write("b.yaml", Yaml.ConfigMap(h.Namespace, "b", ("k", "1")))
            .Commit("before");
        await h.SyncAsync();
        var bad = h.Repo.Delete("b.yaml").Write("c.yaml", Yaml.ConfigMap(h.Namespace, "c", ("k", "1")))
            .Write("a.yaml", Yaml.ConfigMap(h.Namespace, "a", ("k", "2"))).Commit("bad change");
        await h.SyncAsync();
        Assert.Null(await h.ConfigMapAsync("b"));

        h.Repo.Revert(bad);
        var result = await h.SyncAsync();

        Assert.Equal(SyncPhase.Synced, result.Phase);
        Assert.Equal("1", (string?)(await h.ConfigMapAsync("a"))!["data"]!["k"]);
        Assert.NotNull(await h.ConfigMapAsync("b"));
        Assert.Null(await h.ConfigMapAsync("c"));
    }

    [Fact]
    public async Task Diff_ChangedCommit_ReportsDriftAndWritesNothing()
    {
        await using var h = new SyncHarness(cluster, "diff");
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace)).Write("a.yaml", Yaml.ConfigMap(h.Namespace, "a", ("k", "1"))).Commit("first");
        await h.SyncAsync();
        h.Repo.Write("a.yaml", Yaml.ConfigMap(h.Namespace, "a", ("k", "2"))).Commit("change");

        var writes = h.Api.Requests.Writes;
        var diff = await h.SyncAsync(dryRun: true);

        Assert.True(diff.HasDrift);
        Assert.Equal(writes, h.Api.Requests.Writes);
        Assert.Equal("1", (string?)(await h.ConfigMapAsync("a"))!["data"]!["k"]);
    }

    [Fact]
    public async Task Sync_WithTimeout_FailsNamingTheObjectThatNeverBecameHealthy()
    {
        await using var h = new SyncHarness(cluster, "health");
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace))
            .Write("a.yaml", Yaml.ConfigMap(h.Namespace, "a", ("k", "1")))
            .Write("web.yaml", Manifests.Deployment(h.Namespace, "web", "app=web", image: "nginx:1.25", readySeconds: 3600))
            .Commit("a Deployment whose pod runs but is not ready for an hour");

        var result = await h.SyncAsync(timeout: TimeSpan.FromSeconds(3));

        Assert.Equal(SyncPhase.Failed, result.Phase);
        Assert.Contains($"Deployment/{h.Namespace}/web is Progressing", result.Message, StringComparison.Ordinal);
        Assert.Equal(Diff.Health.HealthStatus.Healthy, Assert.Single(result.Objects, o => o.Key.Name == "a").Health);
    }

    [Fact]
    public async Task Sync_ImmutableFieldChanged_FailsWithHintUnlessRecreateIsAllowed()
    {
        await using var h = new SyncHarness(cluster, "immutable");
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace)).Write("web.yaml", Manifests.Deployment(h.Namespace, "web", "app=web")).Commit("v1");
        await h.SyncAsync();
        var uid = (string?)(await h.GetAsync($"/apis/apps/v1/namespaces/{h.Namespace}/deployments/web"))!["metadata"]!["uid"];

        h.Repo.Write("web.yaml", Manifests.Deployment(h.Namespace, "web", "app=web2")).Commit("new selector");
        var refused = await h.SyncAsync();
        Assert.Equal(SyncPhase.Failed, refused.Phase);
        Assert.Contains("gitops.dev/recreate", refused.Message, StringComparison.Ordinal);

        h.Repo.Write("web.yaml", Manifests.Deployment(h.Namespace, "web", "app=web2", recreate: true)).Commit("allow recreate");
        var recreated = await h.SyncAsync();
        Assert.Equal(SyncPhase.Synced, recreated.Phase);
        var live = (await h.GetAsync($"/apis/apps/v1/namespaces/{h.Namespace}/deployments/web"))!;
        Assert.NotEqual(uid, (string?)live["metadata"]!["uid"]);
        Assert.Equal("web2", (string?)live["spec"]!["selector"]!["matchLabels"]!["app"]);
    }

    [Fact]
    public async Task Sync_ServicePortWithoutProtocol_IsAppliedDespiteTheServersQuirk()
    {
        await using var h = new SyncHarness(cluster, "proto");
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace)).Write("svc.yaml", $"""
            apiVersion: v1
            kind: Service
            metadata:
              name: web
              namespace: {h.Namespace}
            spec:
              selector: {"{"}app: web{"}"}
              ports:
              - port: 80
                targetPort: 8080
            """).Commit("a Service as most people write it");

        var first = await h.SyncAsync();
        var second = await h.SyncAsync();

        Assert.Equal(SyncPhase.Synced, first.Phase);
        Assert.All(second.Objects, o => Assert.Equal(SyncAction.Unchanged, o.Action));
    }
}
