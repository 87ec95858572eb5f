using GitOps.Agent.Hosting;
using GitOps.Agent.Render;
using GitOps.Agent.Tests.Git;

namespace GitOps.Agent.Tests.Hosting;

/// <summary>The top-level <c>render:</c> (tool paths, timeout; the environment as fallback) and a target's <c>kustomize:</c> options.</summary>
public sealed class RenderConfigTests
{
    private const string Minimal = "targets:\n- name: app\n  repository: https://git.example.com/deploy.git\n";

    [Fact]
    public void Parse_RenderKeys_BindThePathsAndTimeout()
    {
        using var folder = new TempFolder();
        var helm = folder.Combine("helm");
        File.WriteAllText(helm, "#!/bin/sh\n");

        var config = AgentConfigLoader.Parse("agent.yaml", $"render: {{helm: {helm}, kustomize: kustomize, timeout: 2m}}\n" + Minimal);

        Assert.Equal(helm, config.Render.HelmPath);
        Assert.Equal("kustomize", config.Render.KustomizePath);
        Assert.Equal(TimeSpan.FromMinutes(2), config.Render.Timeout);
    }

    [Fact]
    public void Parse_RenderKeyLeftOut_FallsBackToTheEnvironment_AndTheConfigWins()
    {
        Environment.SetEnvironmentVariable("GITOPS_RENDER_TIMEOUT", "7");
        try
        {
            Assert.Equal(TimeSpan.FromSeconds(7), AgentConfigLoader.Parse("agent.yaml", "render: {kustomize: kubectl}\n" + Minimal).Render.Timeout);
            Assert.Equal(TimeSpan.FromSeconds(7), AgentConfigLoader.Parse("agent.yaml", Minimal).Render.Timeout);
            Assert.Equal(TimeSpan.FromSeconds(30), AgentConfigLoader.Parse("agent.yaml", "render: {timeout: 30s}\n" + Minimal).Render.Timeout);
        }
        finally
        {
            Environment.SetEnvironmentVariable("GITOPS_RENDER_TIMEOUT", null);
        }
    }

    [Theory]
    [InlineData("render: {timeout: soon}\n", "render.timeout:")]
    [InlineData("render: {timeout: 0s}\n", "render.timeout: must be at least 1s")]
    [InlineData("render: {helm: /no/such/helm}\n", "render.helm: no file at '/no/such/helm'")]
    [InlineData("render: {kustomize: ''}\n", "render.kustomize: must name a binary")]
    [InlineData("render: {helmPath: /usr/bin/helm}\n", "render.helmPath: unknown key")]
    [InlineData("render: {timeout: 90}\n", "render.timeout: must be a duration")]
    public void Parse_BadRenderValue_IsAnErrorNamingTheKey(string extra, string expected)
    {
        var error = Assert.Throws<AgentConfigException>(() => AgentConfigLoader.Parse("agent.yaml", extra + Minimal));

        Assert.Contains(error.Errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_KustomizeAllowRemoteResources_BindsAndIsOffByDefault()
    {
        var config = AgentConfigLoader.Parse("agent.yaml", Minimal + "  kustomize: {allowRemoteResources: true}\n- name: other\n  repository: https://git.example.com/deploy.git\n  kustomize: {}\n");

        Assert.True(config.Targets[0].SyncTarget("gitops").Render.Kustomize.AllowRemoteResources);
        Assert.False(config.Targets[1].Render.Kustomize.AllowRemoteResources);
        Assert.Equal(KustomizeSettings.None, config.Targets[1].Render.Kustomize);
    }
}
