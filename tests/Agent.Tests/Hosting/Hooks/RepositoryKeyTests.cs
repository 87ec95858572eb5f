using GitOps.Agent.Hosting.Hooks;

namespace GitOps.Agent.Tests.Hosting.Hooks;

public sealed class RepositoryKeyTests
{
    [Theory]
    [InlineData("https://github.com/org/app.git")]
    [InlineData("https://github.com/org/app")]
    [InlineData("https://GitHub.COM/org/app/")]
    [InlineData("HTTPS://github.com:443/org/app.git")]
    [InlineData("http://github.com/org/app.git")]
    [InlineData("https://x-access-token:tok123@github.com/org/app.git")]
    [InlineData("git@github.com:org/app.git")]
    [InlineData("git@GITHUB.com:org/app")]
    [InlineData("ssh://git@github.com/org/app.git")]
    [InlineData("ssh://git@github.com:22/org/app.git")]
    [InlineData("git://github.com/org/app.git")]
    public void Of_SpellingsOfOneRepository_AreOneKey(string url)
    {
        Assert.Equal("github.com/org/app", RepositoryKey.Of(url));
    }

    [Theory]
    [InlineData("https://github.com/org/other.git")]
    [InlineData("https://github.com/Org/app.git")] // paths keep their case: not every forge ignores it
    [InlineData("https://gitlab.com/org/app.git")]
    [InlineData("https://github.com:8443/org/app.git")]
    [InlineData("https://github.com/org/app/sub.git")]
    public void Of_AnotherRepository_IsAnotherKey(string url)
    {
        Assert.NotEqual("github.com/org/app", RepositoryKey.Of(url));
    }

    [Fact]
    public void Of_LocalPathAndFileUrl_AreOneKey()
    {
        Assert.Equal("/srv/git/deploy", RepositoryKey.Of("/srv/git/deploy.git"));
        Assert.Equal("/srv/git/deploy", RepositoryKey.Of("file:///srv/git/deploy.git"));
        Assert.Equal("/srv/git/deploy", RepositoryKey.Of("/srv/git/deploy/"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("ftp://example.com/repo.git")]
    public void Of_NoRepositoryAddress_IsNull(string? url)
    {
        Assert.Null(RepositoryKey.Of(url));
    }
}
