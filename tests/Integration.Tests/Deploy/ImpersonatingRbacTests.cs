namespace GitOps.Integration.Tests.Deploy;

/// <summary>
/// deploy/rbac/impersonating/ with the agent's own token: the agent manages nothing itself, may
/// become the team's account, and that account may do exactly what a team's repository should.
/// </summary>
[Collection(AgentAccountCollection.Name)]
public sealed class ImpersonatingRbacTests(ClusterFixture cluster, DeployNamespaces namespaces)
    : IClassFixture<ClusterFixture>, IClassFixture<DeployNamespaces>
{
    private const string DryRun = "--dry-run=server";

    [Fact]
    public async Task ImpersonatingRbac_Agent_ActsOnlyAsTheTeamAccount()
    {
        await using var agent = await AgentAccount.InstallAsync(cluster, "impersonating");
        var deployer = $"system:serviceaccount:{namespaces.Managed}:gitops-deployer";
        var name = ClusterFixture.UniqueName("cm");

        // Itself: its own state only, nothing to manage.
        Assert.True(agent.CanI("create", "configmaps", namespaces.Agent));
        Assert.False(agent.CanI("create", "configmaps", namespaces.Managed));
        Assert.False(agent.CanI("create", "namespaces"));

        // As the team's account: its namespace, and a refusal everywhere else.
        Assert.Equal(0, agent.Kubectl("create", "configmap", name, "-n", namespaces.Managed, "--from-literal=k=v", DryRun, "--as", deployer).ExitCode);
        var elsewhere = agent.Kubectl("create", "configmap", name, "-n", "default", "--from-literal=k=v", DryRun, "--as", deployer);
        Assert.NotEqual(0, elsewhere.ExitCode);
        Assert.Contains($"forbidden: User \"{deployer}\" cannot", elsewhere.Stderr, StringComparison.Ordinal);
        var escalate = agent.Kubectl("create", "rolebinding", name, "--clusterrole=admin", $"--serviceaccount={namespaces.Managed}:default", "-n", namespaces.Managed, DryRun, "--as", deployer);
        Assert.NotEqual(0, escalate.ExitCode); // RBAC's escalation check: admin holds more than the account

        // Any other account of the namespace cannot be borrowed.
        var other = agent.Kubectl("get", "configmaps", "-n", namespaces.Managed, "--as", $"system:serviceaccount:{namespaces.Managed}:default");
        Assert.NotEqual(0, other.ExitCode);
        Assert.Contains("cannot impersonate", other.Stderr, StringComparison.Ordinal);
    }
}
