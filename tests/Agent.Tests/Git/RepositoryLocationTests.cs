using GitOps.Agent.Git;

namespace GitOps.Agent.Tests.Git;

public sealed class RepositoryLocationTests
{
    [Fact]
    public void Parse_HttpsWithCredentials_SplitsThemOffTheUrl()
    {
        var location = RepositoryLocation.Parse("https://alice:p%40ss@git.example.com/org/repo.git");

        Assert.Equal("https://git.example.com/org/repo.git", location.Url);
        Assert.Equal("alice", location.UserName);
        Assert.Equal("p@ss", location.Password);
        Assert.DoesNotContain("p@ss", location.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void CacheKey_IgnoresCredentials()
    {
        Assert.Equal(
            RepositoryLocation.Parse("https://git.example.com/org/repo.git").CacheKey,
            RepositoryLocation.Parse("https://alice:rotated@git.example.com/org/repo.git").CacheKey);
        Assert.NotEqual(
            RepositoryLocation.Parse("https://git.example.com/org/repo.git").CacheKey,
            RepositoryLocation.Parse("https://git.example.com/org/other.git").CacheKey);
    }

    [Theory]
    [InlineData("git@host:org/repo.git")]
    [InlineData("ssh://git@host:2222/org/repo.git")]
    [InlineData("file:///srv/git/repo.git")]
    public void Parse_NonHttpUrls_AreKeptAsGiven(string url)
    {
        Assert.Equal(url, RepositoryLocation.Parse(url).Url);
    }

    [Fact]
    public void Parse_RelativePath_BecomesAbsolute()
    {
        Assert.Equal(Path.GetFullPath("some/repo"), RepositoryLocation.Parse("some/repo").Url);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ftp://host/repo")]
    public void Parse_Unusable_Throws(string repository)
    {
        Assert.Throws<GitSourceException>(() => RepositoryLocation.Parse(repository));
    }
}
