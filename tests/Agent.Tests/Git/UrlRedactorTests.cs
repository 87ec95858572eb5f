using GitOps.Agent.Git;

namespace GitOps.Agent.Tests.Git;

public sealed class UrlRedactorTests
{
    [Theory]
    [InlineData("https://alice:s3cret@git.example.com/org/repo.git", "https://***@git.example.com/org/repo.git")]
    [InlineData("http://ghp_tokenonly@git.example.com/repo", "http://***@git.example.com/repo")]
    [InlineData("fetch from https://u:p@a@h:8443/r failed: 401", "fetch from https://***@h:8443/r failed: 401")]
    [InlineData("see https://u:p@h/a and http://v:q@k/b", "see https://***@h/a and http://***@k/b")]
    [InlineData("ssh://git@host/org/repo.git", "ssh://git@host/org/repo.git")]
    [InlineData("ssh://git:pw@host/org/repo.git", "ssh://git:***@host/org/repo.git")]
    [InlineData("git@github.example:org/repo.git", "git@github.example:org/repo.git")]
    [InlineData("https://host/path@v1", "https://host/path@v1")]
    [InlineData("no url here", "no url here")]
    [InlineData("", "")]
    public void Redact_RemovesCredentialsOnly(string text, string expected)
    {
        Assert.Equal(expected, UrlRedactor.Redact(text));
    }

    [Fact]
    public void Redact_Null_IsEmpty()
    {
        Assert.Equal(string.Empty, UrlRedactor.Redact(null));
    }
}
