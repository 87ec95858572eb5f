using GitOps.Agent.Hosting;
using GitOps.Diff.Confinement;

namespace GitOps.Agent.Tests.Hosting;

/// <summary>The tenancy keys of a target as a user writes them, and their mistakes.</summary>
public sealed class TenancyConfigTests
{
    private const string Target = "targets:\n- name: app\n  repository: https://git.example.com/deploy.git\n";

    [Fact]
    public void Parse_AllowedNamespacesAndKinds_Bind()
    {
        var config = Parse("  defaultNamespace: team-a\n  allowedNamespaces: [team-a, team-a-*]\n  allowClusterScoped: [Namespace, ClusterRole.rbac.authorization.k8s.io]\n");

        var confinement = config.Targets[0].SyncTarget("gitops-system").Confinement;
        Assert.Equal(["team-a", "team-a-*"], confinement.AllowedNamespaces);
        Assert.Equal(ClusterScopePolicy.Only(["Namespace", "ClusterRole.rbac.authorization.k8s.io"]), confinement.ClusterScoped);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("  allowClusterScoped: true\n", true)]
    [InlineData("  allowClusterScoped: false\n", false)]
    public void Parse_NoNamespacesListed_ClusterScopedFollowsTheKey(string extra, bool all) =>
        Assert.Equal(all, Parse(extra).Targets[0].Confinement.ClusterScoped.All);

    [Fact]
    public void Parse_NamespacesListedWithoutClusterScopedKey_RefusesClusterScoped() =>
        Assert.Equal(ClusterScopePolicy.None, Parse("  defaultNamespace: team-a\n  allowedNamespaces: [team-a]\n").Targets[0].Confinement.ClusterScoped);

    [Theory]
    [InlineData("  allowedNamespaces: [team-a]\n", "targets[0].defaultNamespace: the default namespace default is not among allowedNamespaces (team-a)")]
    [InlineData("  defaultNamespace: x\n  allowedNamespaces: [x, Team_B]\n", "targets[0].allowedNamespaces: 'Team_B' is not a namespace glob (lower-case letters, digits, '-', '*' and '?')")]
    [InlineData("  allowedNamespaces: team-a\n", "targets[0].allowedNamespaces: must be a list")]
    [InlineData("  allowClusterScoped: sometimes\n", "targets[0].allowClusterScoped: must be true or false")]
    [InlineData("  allowClusterScoped: [Namespace, 3]\n", "targets[0].allowClusterScoped[1]: must be a string")]
    public void Parse_WrongTenancyValue_NamesTheKey(string extra, string expected)
    {
        var error = Assert.Throws<AgentConfigException>(() => Parse(extra));

        Assert.Contains(expected, error.Errors);
    }

    [Fact]
    public void Parse_ServiceAccountAndAdopt_Bind()
    {
        var target = Parse("  serviceAccount: team-a/deployer\n  adopt: false\n").Targets[0].SyncTarget("gitops-system");

        Assert.Equal("team-a/deployer", target.ServiceAccount);
        Assert.False(target.Adopt);
        Assert.True(Parse("").Targets[0].SyncTarget("gitops-system").Adopt);
    }

    [Theory]
    [InlineData("  serviceAccount: deployer\n", "targets[0].serviceAccount: 'deployer' is not NAMESPACE/NAME")]
    [InlineData("  serviceAccount: team-a/deployer/x\n", "targets[0].serviceAccount: 'team-a/deployer/x' is not NAMESPACE/NAME")]
    [InlineData("  adopt: maybe\n", "targets[0].adopt: must be true or false")]
    public void Parse_WrongServiceAccountOrAdopt_NamesTheKey(string extra, string expected) =>
        Assert.Contains(expected, Assert.Throws<AgentConfigException>(() => Parse(extra)).Errors);

    [Fact]
    public void Parse_Verify_BindsTheOneFileNamed()
    {
        Assert.Equal("/etc/gitops/allowed_signers", Parse("  verify: {sshAllowedSignersFile: /etc/gitops/allowed_signers}\n").Targets[0].Verify?.SshAllowedSignersFile);
        Assert.Null(Parse("").Targets[0].Verify);
    }

    [Theory]
    [InlineData("  verify: {gpgKeysFile: /k, sshAllowedSigners: /s}\n", "targets[0].verify.sshAllowedSigners: unknown key")]
    [InlineData("  verify: {gpgKeyFile: /k}\n", "targets[0].verify.gpgKeyFile: unknown key (did you mean gpgKeysFile?)")]
    [InlineData("  verify: {gpgKeysFile: /k, sshAllowedSignersFile: /s}\n", "targets[0].verify: name exactly one of gpgKeysFile and sshAllowedSignersFile")]
    public void Parse_WrongVerify_NamesTheKey(string extra, string expected) =>
        Assert.Contains(expected, Assert.Throws<AgentConfigException>(() => Parse(extra)).Errors);

    private static AgentConfig Parse(string extra) => AgentConfigLoader.Parse("agent.yaml", Target + extra);
}
