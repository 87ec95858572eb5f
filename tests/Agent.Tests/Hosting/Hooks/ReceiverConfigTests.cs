using GitOps.Agent.Hosting;
using GitOps.Agent.Hosting.Hooks;

namespace GitOps.Agent.Tests.Hosting.Hooks;

/// <summary>The <c>receivers</c> list of the agent's configuration through the strict loader.</summary>
public sealed class ReceiverConfigTests
{
    private const string Minimal = "targets:\n- name: app\n  repository: https://git.example.com/deploy.git\n";

    [Fact]
    public void Parse_Receivers_ReadsEveryType()
    {
        var config = AgentConfigLoader.Parse("agent.yaml", """
            receivers:
            - {name: github, type: github, secretFile: /etc/gitops/hooks/github}
            - {name: lab, type: gitlab, secretFile: /s/lab}
            - {name: forgejo, type: gitea, secretFile: /s/tea}
            - {name: git-server, type: generic-hmac, secretFile: /s/generic}

            """ + Minimal);

        Assert.Equal(
            [
                new ReceiverConfig("github", ReceiverType.GitHub, "/etc/gitops/hooks/github"),
                new ReceiverConfig("lab", ReceiverType.GitLab, "/s/lab"),
                new ReceiverConfig("forgejo", ReceiverType.Gitea, "/s/tea"),
                new ReceiverConfig("git-server", ReceiverType.GenericHmac, "/s/generic"),
            ],
            config.Receivers);
    }

    [Fact]
    public void Parse_NoReceivers_IsAnEmptyList()
    {
        Assert.Empty(AgentConfigLoader.Parse("agent.yaml", Minimal).Receivers);
    }

    [Theory]
    [InlineData("receivers: [{type: github, secretFile: /s}]", "receivers[0].name: required")]
    [InlineData("receivers: [{name: GitHub, type: github, secretFile: /s}]", "receivers[0].name: lower-case letters, digits and '-', at most 63 (it is the last part of /hooks/<name>)")]
    [InlineData("receivers: [{name: a/b, type: github, secretFile: /s}]", "receivers[0].name: lower-case letters, digits and '-', at most 63 (it is the last part of /hooks/<name>)")]
    [InlineData("receivers: [{name: gh, type: bitbucket, secretFile: /s}]", "receivers[0].type: must be one of github, gitlab, gitea, generic-hmac")]
    [InlineData("receivers: [{name: gh, type: github}]", "receivers[0].secretFile: required")]
    [InlineData("receivers: [{name: gh, type: github, secretFile: secret.txt}]", "receivers[0].secretFile: must be an absolute path to a file that holds the secret")]
    [InlineData("receivers: [{name: gh, type: github, secretFile: /s, secret: hunter2}]", "receivers[0].secret: secrets are never inline; put the secret in a file and name the file with secretFile")]
    [InlineData("receivers: [{name: gh, type: github, secretFile: /s, secretfile: /t}]", "receivers[0].secretfile: unknown key (did you mean secretFile?)")]
    [InlineData("receivers: [{name: gh, type: github, secretFile: /s}, {name: gh, type: gitlab, secretFile: /t}]", "receivers: the name 'gh' is used twice")]
    [InlineData("receivers: {name: gh}", "receivers: must be a list")]
    public void Parse_BadReceiver_NamesTheField(string yaml, string expected)
    {
        var error = Assert.Throws<AgentConfigException>(() => AgentConfigLoader.Parse("agent.yaml", yaml + "\n" + Minimal));

        Assert.Equal([expected], error.Errors);
    }

    [Fact]
    public void Parse_InlineSecret_IsNeverEchoed()
    {
        var error = Assert.Throws<AgentConfigException>(() => AgentConfigLoader.Parse("agent.yaml", "receivers: [{name: gh, type: github, secretFile: /s, secret: hunter2-value}]\n" + Minimal));

        Assert.DoesNotContain("hunter2-value", error.Message, StringComparison.Ordinal);
    }
}
