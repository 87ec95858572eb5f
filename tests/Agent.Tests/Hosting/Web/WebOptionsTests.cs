using GitOps.Agent.Hosting;
using GitOps.Agent.Hosting.Web;

namespace GitOps.Agent.Tests.Hosting.Web;

/// <summary><c>web:</c> of the configuration file: defaults, both keys, and unknown keys refused.</summary>
public sealed class WebOptionsTests
{
    private const string Minimal = "targets:\n- name: app\n  repository: https://git.example.com/deploy.git\n";

    [Fact]
    public void Parse_NoWebKey_ServesThePagesWithoutAToken()
    {
        var config = AgentConfigLoader.Parse("agent.yaml", Minimal);

        Assert.True(config.Web.Enabled);
        Assert.Null(config.Web.TokenFile);
        Assert.Equal(50, config.Web.CommitHistory);
    }

    [Fact]
    public void Parse_WebKeys_BindThem()
    {
        var config = AgentConfigLoader.Parse("agent.yaml", "web: {enabled: false, tokenFile: /etc/gitops/web/token}\n" + Minimal);

        Assert.False(config.Web.Enabled);
        Assert.Equal("/etc/gitops/web/token", config.Web.TokenFile);
    }

    [Fact]
    public void Parse_TokenInline_IsRefusedAsAnUnknownKey()
    {
        var ex = Assert.Throws<AgentConfigException>(() => AgentConfigLoader.Parse("agent.yaml", "web: {token: s3cret}\n" + Minimal));

        Assert.Contains(ex.Errors, e => e.StartsWith("web.token: unknown key", StringComparison.Ordinal));
    }

    [Fact]
    public void From_EmptyTokenFile_Throws()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, " \n");
            var ex = Assert.Throws<InvalidOperationException>(() => WebAccess.From(new WebOptions(TokenFile: file)));
            Assert.Contains("is empty", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
