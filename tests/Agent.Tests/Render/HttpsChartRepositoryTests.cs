using GitOps.Agent.Git;
using GitOps.Agent.Render;
using GitOps.Agent.Tests.Git;
using GitOps.TestSupport.Helm;

namespace GitOps.Agent.Tests.Render;

/// <summary>An HTTPS chart repository with a private CA (lighttpd with TLS): the target's caFile verifies it, or nothing does.</summary>
public sealed class HttpsChartRepositoryTests : IDisposable
{
    private readonly TempFolder temp = new();
    private readonly ChartRepositoryServer server = new(tls: true);

    public void Dispose()
    {
        server.Dispose();
        temp.Dispose();
    }

    [Fact]
    public async Task Render_HttpsRepositoryWithItsCa_EqualsHelmTemplateAfterDependencyBuild()
    {
        server.Publish(ChartFolders.Lib(temp.Path, "2.0.1"));
        ChartFolders.App(temp.Combine("repo", "app"), server.Url, "~2.0.0");

        var files = await new ToolRenderer(RenderTool.Options).RenderAsync(Job(server.CaFile, insecure: false), CancellationToken.None);

        var actual = ChartRepositoryTests.Canonical(files);
        Assert.Equal(ChartRepositoryTests.Oracle(temp.Combine("repo", "app"), server.HelmArgs()), actual);
        Assert.Contains(actual, o => o.Contains("\"libVersion\":\"2.0.1\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Render_HttpsRepositoryWithoutItsCa_FailsOnTheCertificateUnlessVerificationIsOff()
    {
        server.Publish(ChartFolders.Lib(temp.Path, "2.0.1"));
        ChartFolders.App(temp.Combine("repo", "app"), server.Url, "2.0.1");

        var ex = await Assert.ThrowsAsync<RenderException>(() => new ToolRenderer(RenderTool.Options).RenderAsync(Job(null, insecure: false), CancellationToken.None));
        var insecure = await new ToolRenderer(RenderTool.Options).RenderAsync(Job(null, insecure: true), CancellationToken.None);

        Assert.Contains("certificate", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, ChartRepositoryTests.Canonical(insecure).Count);
    }

    private RenderJob Job(string? caFile, bool insecure)
    {
        var repository = new ChartRepository(
            "secure", server.Url, server.SecretFile("user", ChartRepositoryServer.User), server.SecretFile("password", ChartRepositoryServer.Password), caFile, insecure);
        return RenderTool.Job(temp.Combine("repo"), SourceKind.Helm, "app", helm: HelmSettings.None with { Repositories = [repository] });
    }
}
