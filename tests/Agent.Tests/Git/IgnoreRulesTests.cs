using GitOps.Agent.Git;

namespace GitOps.Agent.Tests.Git;

public sealed class IgnoreRulesTests
{
    [Theory]
    [InlineData("*.tmp.yaml", "a.tmp.yaml", false, true)]
    [InlineData("*.tmp.yaml", "x/y/a.tmp.yaml", false, true)]
    [InlineData("/a.yaml", "a.yaml", false, true)]
    [InlineData("/a.yaml", "sub/a.yaml", false, false)]
    [InlineData("sub/*.yaml", "sub/a.yaml", false, true)]
    [InlineData("sub/*.yaml", "sub/deeper/a.yaml", false, false)]
    [InlineData("sub/**/*.yaml", "sub/deeper/a.yaml", false, true)]
    [InlineData("sub/**/*.yaml", "sub/a.yaml", false, true)]
    [InlineData("**/crd.yaml", "crd.yaml", false, true)]
    [InlineData("tests/", "tests", true, true)]
    [InlineData("tests/", "tests", false, false)]
    [InlineData("a?.yaml", "ab.yaml", false, true)]
    [InlineData("a?.yaml", "a/.yaml", false, false)]
    [InlineData("a+b[1].yaml", "a+b[1].yaml", false, true)]
    public void IsIgnored_FollowsGlobRules(string pattern, string path, bool isFolder, bool expected)
    {
        Assert.Equal(expected, IgnoreRules.Parse(pattern, ".gitopsignore").IsIgnored(path, isFolder));
    }

    [Fact]
    public void Parse_CommentsAndBlankLines_AreSkipped()
    {
        var rules = IgnoreRules.Parse("# *.yaml\n\n   \r\n", ".gitopsignore");

        Assert.False(rules.IsIgnored("a.yaml", false));
    }

    [Fact]
    public void Parse_Negation_IsRefusedWithLine()
    {
        var ex = Assert.Throws<GitSourceException>(() => IgnoreRules.Parse("*.yaml\n!keep.yaml\n", "deploy/.gitopsignore"));

        Assert.StartsWith("deploy/.gitopsignore:2:", ex.Message, StringComparison.Ordinal);
    }
}
