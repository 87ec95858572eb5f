using GitOps.Agent.Hosting;
using GitOps.Agent.Sync.Forge;

namespace GitOps.Agent.Tests.Hosting;

/// <summary>A target's <c>commitStatus</c> and the top-level <c>publicUrl</c> as a user writes them.</summary>
public sealed class ForgeConfigTests
{
    private const string Target = "targets:\n- name: app\n  repository: https://git.example.com/deploy.git\n";

    [Fact]
    public void Parse_CommitStatus_BindsEveryKey()
    {
        var config = AgentConfigLoader.Parse("agent.yaml", "publicUrl: https://gitops.example.com/\n" + Target + """
              commitStatus:
                provider: gitlab
                url: https://gitlab.example.com/api/v4
                repository: group/sub/deploy
                tokenFile: /etc/gitops/forge/token
                context: deploy/prod
            """ + "\n");

        Assert.Equal("https://gitops.example.com", config.PublicUrl);
        var status = Assert.IsType<CommitStatusConfig>(Assert.Single(config.Targets).CommitStatus);
        Assert.Equal((ForgeProvider.GitLab, "https://gitlab.example.com/api/v4", "group/sub/deploy", "/etc/gitops/forge/token"), (status.Provider, status.Url.OriginalString, status.Repository, status.TokenFile));
        Assert.Equal("deploy/prod", status.ContextFor("prod", "app"));
    }

    [Fact]
    public void Parse_NoContext_DefaultsToClusterAndTarget()
    {
        var config = AgentConfigLoader.Parse("agent.yaml", Target + "  commitStatus: {provider: github, url: https://api.github.com, repository: o/r, tokenFile: /t}\n");

        Assert.Equal("gitops/prod/app", config.Targets[0].CommitStatus!.ContextFor("prod", "app"));
        Assert.Null(config.PublicUrl);
    }

    [Theory]
    [InlineData("{provider: github, url: https://api.github.com, repository: o/r, token: ghp_x}", "targets[0].commitStatus.token: secrets are never inline")]
    [InlineData("{provider: bitbucket, url: https://api.github.com, repository: o/r, tokenFile: /t}", "targets[0].commitStatus.provider: must be github, gitlab or gitea")]
    [InlineData("{provider: github, url: https://api.github.com, repository: just-a-name, tokenFile: /t}", "targets[0].commitStatus.repository: must be owner/name")]
    [InlineData("{provider: gitea, url: 'ftp://git.example.com', repository: o/r, tokenFile: /t}", "targets[0].commitStatus.url: must be an http(s) URL")]
    [InlineData("{provider: gitea, url: 'https://u:p@git.example.com/api/v1', repository: o/r, tokenFile: /t}", "targets[0].commitStatus.url: must be an http(s) URL")]
    [InlineData("{provider: github, url: https://api.github.com, repository: o/r}", "targets[0].commitStatus.tokenFile: required")]
    [InlineData("{provider: github, url: https://api.github.com, repository: o/r, tokenFile: /t, contxt: x}", "targets[0].commitStatus.contxt: unknown key (did you mean context?)")]
    public void Parse_BadCommitStatus_IsAnError(string value, string expected)
    {
        var error = Assert.Throws<AgentConfigException>(() => AgentConfigLoader.Parse("agent.yaml", Target + $"  commitStatus: {value}\n"));

        Assert.Contains(error.Errors, e => e.StartsWith(expected, StringComparison.Ordinal));
        Assert.DoesNotContain("ghp_x", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_GitLabNumericProjectId_IsAccepted()
    {
        var config = AgentConfigLoader.Parse("agent.yaml", Target + "  commitStatus: {provider: gitlab, url: https://gitlab.com/api/v4, repository: '4711', tokenFile: /t}\n");

        Assert.Equal("4711", config.Targets[0].CommitStatus!.Repository);
    }

    [Fact]
    public void Parse_PublicUrlNotAUrl_IsAnError()
    {
        var error = Assert.Throws<AgentConfigException>(() => AgentConfigLoader.Parse("agent.yaml", "publicUrl: gitops.example.com\n" + Target));

        Assert.Contains(error.Errors, e => e.StartsWith("publicUrl: must be an http(s) URL", StringComparison.Ordinal));
    }
}
