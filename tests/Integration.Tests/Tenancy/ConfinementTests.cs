using System.Text.Json.Nodes;
using GitOps.Agent.Sync;
using GitOps.Diff.Confinement;
using GitOps.Diff.Drift;
using GitOps.Integration.Tests.Sync;

namespace GitOps.Integration.Tests.Tenancy;

/// <summary>
/// A target confined to its namespaces against a real API server: a revision that reaches outside
/// is refused as a whole before anything is written, and a prune never deletes outside either.
/// </summary>
public sealed class ConfinementTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Sync_ObjectInKubeSystem_RefusesTheWholeRevisionAndAppliesNothing()
    {
        await using var h = new SyncHarness(cluster, "confined");
        await h.Api.CreateAsync("/api/v1/namespaces", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = h.Namespace } }, CancellationToken.None);
        h.Target = h.Target with { Confinement = TargetConfinement.Of([h.Namespace], null) };
        h.Repo.Write("a.yaml", Yaml.ConfigMap(h.Namespace, "a", ("k", "1")))
            .Write("evil.yaml", Yaml.ConfigMap("kube-system", h.Namespace, ("k", "owned")))
            .Write("crb.yaml", $"""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata:
                  name: {h.Namespace}
                roleRef:
                  apiGroup: rbac.authorization.k8s.io
                  kind: ClusterRole
                  name: cluster-admin
                subjects:
                - kind: ServiceAccount
                  name: default
                  namespace: {h.Namespace}
                """)
            .Commit("reach out");

        var result = await h.SyncAsync();

        Assert.Equal(SyncPhase.Failed, result.Phase);
        Assert.Contains("2 object(s) outside the target's confinement; nothing was applied", result.Message, StringComparison.Ordinal);
        Assert.Contains($"ConfigMap/kube-system/{h.Namespace}: namespace kube-system is not among", result.Message, StringComparison.Ordinal);
        Assert.Contains($"ClusterRoleBinding/{h.Namespace}: cluster-scoped ClusterRoleBinding.rbac.authorization.k8s.io is not allowed", result.Message, StringComparison.Ordinal);
        Assert.Equal(SyncAction.NotApplied, Assert.Single(result.Objects, o => o.Key.Name == "a").Action);
        Assert.Null(await h.ConfigMapAsync("a"));
        Assert.Null(await h.GetAsync($"/api/v1/namespaces/kube-system/configmaps/{h.Namespace}"));
        Assert.Null(await h.GetAsync($"/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/{h.Namespace}"));
        Assert.Null(await h.GetAsync($"/api/v1/namespaces/default/configmaps/gitops-{h.Namespace}")); // not even the inventory
    }

    [Fact]
    public async Task Sync_NextCommitInside_SyncsAfterARefusal()
    {
        await using var h = new SyncHarness(cluster, "confok");
        h.Target = h.Target with { Confinement = TargetConfinement.Of([h.Namespace], ClusterScopePolicy.Only(["Namespace"])) };
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace)).Write("evil.yaml", Yaml.Namespace("kube-public")).Commit("bad");
        Assert.Equal(SyncPhase.Failed, (await h.SyncAsync()).Phase);

        h.Repo.Delete("evil.yaml").Write("a.yaml", Yaml.ConfigMap(h.Namespace, "a", ("k", "1"))).Commit("good");
        var result = await h.SyncAsync();

        Assert.Equal(SyncPhase.Synced, result.Phase);
        Assert.NotNull(await h.ConfigMapAsync("a"));
    }

    [Fact]
    public async Task Sync_ConfinementNarrowed_DoesNotPruneOutside()
    {
        var other = ClusterFixture.UniqueName("outside");
        await using var h = new SyncHarness(cluster, "narrow");
        h.CleanUp($"/api/v1/namespaces/{other}");
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace)).Write("ns2.yaml", Yaml.Namespace(other))
            .Write("a.yaml", Yaml.ConfigMap(h.Namespace, "a", ("k", "1"))).Write("b.yaml", Yaml.ConfigMap(other, "b", ("k", "2")))
            .Commit("both");
        Assert.Equal(SyncPhase.Synced, (await h.SyncAsync()).Phase);

        h.Target = h.Target with { Confinement = TargetConfinement.Of([h.Namespace], null) };
        h.Repo.Delete("ns.yaml").Delete("ns2.yaml").Delete("b.yaml").Commit("only mine");
        var result = await h.SyncAsync();

        var kept = Assert.Single(result.Objects, o => o.Key.Name == "b");
        Assert.Equal(SyncAction.PruneSkipped, kept.Action);
        Assert.Contains("outside the target's confinement", kept.Message, StringComparison.Ordinal);
        Assert.NotNull(await h.GetAsync($"/api/v1/namespaces/{other}/configmaps/b"));
    }

    [Fact]
    public async Task Cli_AllowedNamespaces_RefusesAndExitsOne()
    {
        await using var cli = new GitOpsCli(cluster, "conf-cli");
        cli.Work.Write("a.yaml", Yaml.ConfigMap("kube-system", cli.Namespace, ("k", "1")));
        cli.CommitAndPush("outside");

        var run = cli.Run(cli.SyncArgs("json", null, "--allowed-namespaces", $"{cli.Namespace},other-*", "--no-status"));

        Assert.Equal(1, run.ExitCode);
        var json = JsonNode.Parse(run.Stdout)!;
        Assert.Equal("Failed", (string?)json["phase"]);
        Assert.Equal("failed", (string?)json["changes"]![0]!["action"]);
        Assert.Null(await cli.GetAsync($"/api/v1/namespaces/kube-system/configmaps/{cli.Namespace}"));
    }

    [Fact]
    public void Cli_DefaultNamespaceOutside_IsAUsageError()
    {
        var args = new[] { "diff", "--repo", ".", "--namespace", "default", "--allowed-namespaces", "team-a" };
        var run = Processes.Exec("dotnet", Path.GetTempPath(), null, [GitOpsCli.Dll, .. args]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("the default namespace default is not among allowedNamespaces (team-a)", run.Stderr, StringComparison.Ordinal);
    }
}
