using GitOps.Agent.Tests.Git;
using GitOps.TestSupport.Helm;

namespace GitOps.Agent.Tests.Cli;

/// <summary><c>gitops render --helm-repository</c> as a user runs it: the real executable, a real chart repository.</summary>
public sealed class RenderHelmRepositoryTests : IDisposable
{
    private readonly TempFolder temp = new();
    private readonly ChartRepositoryServer server = new();

    public void Dispose()
    {
        server.Dispose();
        temp.Dispose();
    }

    [Fact]
    public void Render_ChartWithRepositoryDependency_FetchesFromTheNamedRepository()
    {
        server.Publish(ChartFolders.Lib(temp.Path, "1.0.0"));
        ChartFolders.App(temp.Combine("app"), server.Url, "1.0.0");
        var flag = $"charts={server.Url},usernameFile={server.SecretFile("u", ChartRepositoryServer.User)},passwordFile={server.SecretFile("p", ChartRepositoryServer.Password)}";

        var (exit, stdout, stderr) = RenderCommandTests.Gitops("render", "--path", temp.Combine("app"), "--helm-repository", flag);
        var (refusedExit, _, refused) = RenderCommandTests.Gitops("render", "--path", temp.Combine("app"));

        Assert.True(exit == 0, stderr);
        Assert.Contains("libVersion: 1.0.0", stdout, StringComparison.Ordinal);
        Assert.Equal(2, refusedExit);
        Assert.Contains($"chart dependency 'lib' from {server.Url} is not vendored under charts/", refused, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("charts", "must start NAME=URL")]
    [InlineData("charts=ftp://x.example.com", "must start NAME=URL")]
    [InlineData("charts=https://x.example.com,password=hunter2", "'password' is not one of usernameFile, passwordFile, caFile")]
    [InlineData("charts=https://x.example.com,usernameFile=/u", "usernameFile and passwordFile go together")]
    public void Render_BadRepositoryFlag_IsAParseErrorNamingIt(string flag, string expected)
    {
        ChartFolders.App(temp.Combine("app"), server.Url, "1.0.0");

        var (exit, _, stderr) = RenderCommandTests.Gitops("render", "--path", temp.Combine("app"), "--helm-repository", flag);

        Assert.NotEqual(0, exit);
        Assert.Contains($"--helm-repository '{flag}': {expected}", stderr, StringComparison.Ordinal);
    }
}
