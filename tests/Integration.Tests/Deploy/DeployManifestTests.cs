namespace GitOps.Integration.Tests.Deploy;

/// <summary>
/// deploy/ against a real API server: every manifest is accepted as written, and the two RBAC
/// variants let the agent's ServiceAccount do exactly what deploy/README.md says, shown with
/// kubectl logged in with the account's own token. The manifests have fixed names, so these
/// tests own gitops-agent (ServiceAccount, Roles, ClusterRole and bindings) on the test cluster,
/// and run one after another (xunit runs the tests of a class serially).
/// </summary>
[Collection(AgentAccountCollection.Name)]
public sealed class DeployManifestTests(ClusterFixture cluster, DeployNamespaces namespaces)
    : IClassFixture<ClusterFixture>, IClassFixture<DeployNamespaces>
{
    // Refusals are tested with --dry-run=server: the request is authorized exactly like a real
    // one, and if RBAC wrongly allowed it nothing is left behind on the cluster.
    private const string DryRun = "--dry-run=server";

    private static readonly string Lease = """
        apiVersion: coordination.k8s.io/v1
        kind: Lease
        metadata:
          name: gitops-agent
          namespace: gitops-system
        spec:
          holderIdentity: gitops-agent-test
          leaseDurationSeconds: 15
        """;

    public static TheoryData<string> Manifests() => new(DeployFolder.Manifests());

    [Theory]
    [MemberData(nameof(Manifests))]
    public void ServerSideDryRunApply_DeployManifest_IsAccepted(string manifest)
    {
        var result = Processes.Exec(Processes.Kubectl, DeployFolder.Root, null,
            "--kubeconfig", cluster.Kubeconfig, "apply", "--server-side", DryRun, "-f", DeployFolder.PathOf(manifest));

        Assert.True(result.ExitCode == 0, $"{manifest}: {result.Stderr}");
        Assert.Contains("serverside-applied (server dry run)", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NamespacedRbac_Agent_ManagesListedNamespaceAndOwnState()
    {
        await using var agent = await AgentAccount.InstallAsync(cluster, "namespaced");
        var name = ClusterFixture.UniqueName("cm");

        // Real writes in the listed namespace: create, then delete as a prune would.
        AssertAllowed(agent.Kubectl("create", "configmap", name, "-n", namespaces.Managed, "--from-literal=k=v"));
        AssertAllowed(agent.Kubectl("delete", "configmap", name, "-n", namespaces.Managed));
        // RBAC inside the namespace, bound to a built-in ClusterRole (needs bind on clusterroles).
        AssertAllowed(agent.Kubectl("create", "rolebinding", name, "--clusterrole=edit", $"--serviceaccount={namespaces.Managed}:default", "-n", namespaces.Managed, DryRun));

        // Its own state in gitops-system: the leader Lease, inventories and Events.
        var lease = agent.WriteFile("lease.yaml", Lease);
        AssertAllowed(agent.Kubectl("create", "-f", lease, DryRun));
        AssertAllowed(agent.Kubectl("apply", "--server-side", "--field-manager=gitops-agent", "-f", lease, DryRun));
        Assert.True(agent.CanI("update", "leases/gitops-agent", namespaces.Agent));
        // shards: the Lease of each shard, each replica's heartbeat (named after its Pod), one LIST of them all.
        Assert.True(agent.CanI("update", "leases/gitops-agent-shard-2", namespaces.Agent));
        Assert.True(agent.CanI("update", "leases/gitops-agent-replica-gitops-agent-7d9f-x2k4", namespaces.Agent));
        Assert.True(agent.CanI("list", "leases", namespaces.Agent));
        Assert.True(agent.CanI("create", "configmaps", namespaces.Agent));
        Assert.True(agent.CanI("delete", "configmaps", namespaces.Agent));
        Assert.True(agent.CanI("create", "events", namespaces.Agent));
    }

    [Fact]
    public async Task NamespacedRbac_Agent_IsForbiddenOutsideListedNamespaces()
    {
        await using var agent = await AgentAccount.InstallAsync(cluster, "namespaced");
        var name = ClusterFixture.UniqueName("forbidden");

        AssertForbidden(agent.Kubectl("create", "configmap", name, "-n", "default", "--from-literal=k=v", DryRun));
        AssertForbidden(agent.Kubectl("create", "namespace", name, DryRun));
        AssertForbidden(agent.Kubectl("create", "clusterrole", name, "--verb=get", "--resource=pods", DryRun));
        AssertForbidden(agent.Kubectl("create", "clusterrolebinding", name, "--clusterrole=view", $"--serviceaccount={namespaces.Managed}:default", DryRun));
        Assert.False(agent.CanI("create", "customresourcedefinitions.apiextensions.k8s.io"));
        Assert.False(agent.CanI("get", "secrets", "kube-system"));
        // Leases: with shards every replica renews a heartbeat named after its Pod, so in gitops-system
        // the rule cannot name them; elsewhere (the control plane's own Leases) they stay off limits,
        // and no Lease may be deleted.
        Assert.False(agent.CanI("update", "leases/kube-controller-manager", "kube-system"));
        Assert.False(agent.CanI("delete", "leases/gitops-agent-shard-0", namespaces.Agent));
    }

    [Fact]
    public async Task ClusterWideRbac_Agent_ManagesAnyNamespaceAndClusterScopedKinds()
    {
        await using var agent = await AgentAccount.InstallAsync(cluster, "cluster-wide");
        var name = ClusterFixture.UniqueName("cm");

        AssertAllowed(agent.Kubectl("create", "configmap", name, "-n", "default", "--from-literal=k=v"));
        AssertAllowed(agent.Kubectl("delete", "configmap", name, "-n", "default"));
        AssertAllowed(agent.Kubectl("create", "namespace", name, DryRun));
        // verbs '*' exceeds what the agent holds itself: allowed only through escalate.
        AssertAllowed(agent.Kubectl("create", "clusterrole", name, "--verb=*", "--resource=pods", DryRun));
        Assert.True(agent.CanI("create", "customresourcedefinitions.apiextensions.k8s.io"));
        var lease = agent.WriteFile("lease.yaml", Lease);
        AssertAllowed(agent.Kubectl("apply", "--server-side", "--field-manager=gitops-agent", "-f", lease, DryRun));
    }

    private static void AssertAllowed(ProcessResult result) =>
        Assert.True(result.ExitCode == 0, $"expected the agent to be allowed, kubectl said: {result.Stderr}");

    private static void AssertForbidden(ProcessResult result)
    {
        Assert.True(result.ExitCode != 0, $"expected Forbidden, but kubectl succeeded: {result.Stdout}");
        // The server's own words, whichever way kubectl frames them ("Error from server (Forbidden)"
        // for -f and most verbs, "error: failed to create configmap" for the configmap generator).
        Assert.Contains($"forbidden: User \"{AgentAccount.User}\" cannot", result.Stderr, StringComparison.Ordinal);
    }
}
