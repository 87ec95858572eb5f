using System.Text.Json.Nodes;
using GitOps.Agent.Sync;
using GitOps.Diff.Drift;

namespace GitOps.Integration.Tests.Tenancy;

/// <summary>
/// A target that impersonates a ServiceAccount against a real API server with RBAC: the account's
/// rights decide, a forbidden object refuses the whole revision before anything is written, and the
/// inventory is kept by the agent's own account.
/// </summary>
public sealed class ImpersonationTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Sync_AccountAllowedInItsNamespace_SyncsAndPrunesThere()
    {
        await using var h = new SyncHarness(cluster, "imp-own");
        await TenantAsync(h);
        h.Repo.Write("a.yaml", Yaml.ConfigMap(h.Namespace, "a", ("k", "1"))).Write("b.yaml", Yaml.ConfigMap(h.Namespace, "b", ("k", "2"))).Commit("mine");
        var first = await h.SyncAsync();
        h.Repo.Delete("b.yaml").Commit("drop b");
        var second = await h.SyncAsync();

        Assert.Equal(SyncPhase.Synced, first.Phase);
        Assert.Equal(SyncPhase.Synced, second.Phase);
        Assert.Equal(SyncAction.Pruned, Assert.Single(second.Objects, o => o.Key.Name == "b").Action);
        Assert.NotNull(await h.ConfigMapAsync("a"));
        Assert.Null(await h.ConfigMapAsync("b"));
        Assert.NotNull(await h.GetAsync($"/api/v1/namespaces/default/configmaps/gitops-{h.Namespace}")); // the account may not write there: the agent did
    }

    [Fact]
    public async Task Sync_ObjectTheAccountMayOnlyRead_RefusesTheRevisionAsForbidden()
    {
        await using var h = new SyncHarness(cluster, "imp-read");
        await TenantAsync(h);
        var other = await OtherNamespaceAsync(h, readable: true);
        h.Repo.Write("a.yaml", Yaml.ConfigMap(h.Namespace, "a", ("k", "1"))).Write("x.yaml", Yaml.ConfigMap(other, "x", ("k", "1"))).Commit("reach out");

        var result = await h.SyncAsync();

        Assert.Equal(SyncPhase.Failed, result.Phase);
        Assert.Contains($"ConfigMap/{other}/x: configmaps \"x\" is forbidden: User \"system:serviceaccount:{h.Namespace}:deployer\"", result.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was applied", result.Message, StringComparison.Ordinal);
        Assert.Null(await h.ConfigMapAsync("a"));
        Assert.Null(await h.GetAsync($"/api/v1/namespaces/{other}/configmaps/x"));
    }

    [Fact]
    public async Task Sync_ObjectTheAccountMayNotRead_RefusesTheRevisionNamingIt()
    {
        await using var h = new SyncHarness(cluster, "imp-hidden");
        await TenantAsync(h);
        var other = await OtherNamespaceAsync(h, readable: false);
        h.Repo.Write("a.yaml", Yaml.ConfigMap(h.Namespace, "a", ("k", "1"))).Write("x.yaml", Yaml.ConfigMap(other, "x", ("k", "1"))).Commit("reach out");

        var result = await h.SyncAsync();

        Assert.Equal(SyncPhase.Failed, result.Phase);
        Assert.Contains($"ConfigMap/{other}/x: forbidden to read", result.Message, StringComparison.Ordinal);
        Assert.Null(await h.ConfigMapAsync("a"));
        Assert.Null(await h.GetAsync($"/api/v1/namespaces/{other}/configmaps/x"));
    }

    [Fact]
    public async Task Sync_HookOfAKindTheAccountMayReadButNotCreate_RefusesTheRevisionBeforeWave0()
    {
        await using var h = new SyncHarness(cluster, "imp-hook");
        await TenantAsync(h);
        await CreateAsync(h, $"/apis/rbac.authorization.k8s.io/v1/namespaces/{h.Namespace}/roles", """
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"job-reader"},
             "rules":[{"apiGroups":["batch"],"resources":["jobs"],"verbs":["get","list","watch"]}]}
            """);
        await CreateAsync(h, $"/apis/rbac.authorization.k8s.io/v1/namespaces/{h.Namespace}/rolebindings", $$$"""
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"job-reader"},
             "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"job-reader"},
             "subjects":[{"kind":"ServiceAccount","name":"deployer","namespace":"{{{h.Namespace}}}"}]}
            """);
        h.Repo.Write("a.yaml", Yaml.ConfigMap(h.Namespace, "a", ("k", "1")))
            .Write("migrate.yaml", Sync.ReleaseYaml.Job(h.Namespace, "migrate", runSeconds: 0, exitCode: 0, ("gitops.dev/hook", "Sync"), ("gitops.dev/sync-wave", "1")))
            .Commit("a migration the account may not run");

        var result = await h.SyncAsync();

        Assert.Equal(SyncPhase.Failed, result.Phase);
        Assert.Contains($"Sync hook Job/{h.Namespace}/migrate: rejected by the server: jobs.batch is forbidden: User \"system:serviceaccount:{h.Namespace}:deployer\" cannot create", result.Message, StringComparison.Ordinal);
        Assert.Null(await h.ConfigMapAsync("a")); // wave 0 was not written
    }

    /// <summary>The test's namespace with a ServiceAccount <c>deployer</c> that may do anything with ConfigMaps there, and nothing else.</summary>
    private static async Task TenantAsync(SyncHarness h)
    {
        var ns = h.Namespace;
        await CreateAsync(h, "/api/v1/namespaces", $$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{ns}}}"}}""");
        await CreateAsync(h, $"/api/v1/namespaces/{ns}/serviceaccounts", $$$"""{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"deployer"}}""");
        await CreateAsync(h, $"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles", $$$"""
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"deployer"},
             "rules":[{"apiGroups":[""],"resources":["configmaps"],"verbs":["get","list","watch","create","update","patch","delete"]}]}
            """);
        await BindAsync(h, ns, "Role", "deployer");
        h.Target = h.Target with { ServiceAccount = $"{ns}/deployer" };
    }

    /// <summary>A second namespace where the account may read (the built-in view role) or do nothing at all.</summary>
    private static async Task<string> OtherNamespaceAsync(SyncHarness h, bool readable)
    {
        var other = ClusterFixture.UniqueName("imp-other");
        h.CleanUp($"/api/v1/namespaces/{other}");
        await CreateAsync(h, "/api/v1/namespaces", $$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{other}}}"}}""");
        if (readable)
        {
            await BindAsync(h, other, "ClusterRole", "view");
        }

        return other;
    }

    private static Task BindAsync(SyncHarness h, string ns, string kind, string role) =>
        CreateAsync(h, $"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings", $$$"""
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"deployer"},
             "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"{{{kind}}}","name":"{{{role}}}"},
             "subjects":[{"kind":"ServiceAccount","name":"deployer","namespace":"{{{h.Namespace}}}"}]}
            """);

    private static Task<JsonObject> CreateAsync(SyncHarness h, string collection, string json) =>
        h.Api.CreateAsync(collection, JsonNode.Parse(json)!.AsObject(), CancellationToken.None);
}
