using System.Text;
using GitOps.Agent.Hosting.Hooks;

namespace GitOps.Agent.Tests.Hosting.Hooks;

public sealed class HookSignatureTests
{
    // The example of GitHub's "Validating webhook deliveries" page: an oracle we did not compute.
    private static readonly byte[] DocsSecret = Encoding.UTF8.GetBytes("It's a Secret to Everybody");
    private static readonly byte[] DocsBody = Encoding.UTF8.GetBytes("Hello, World!");
    private const string DocsSignature = "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    [Fact]
    public void Verify_GitHubDocsExample_IsAccepted()
    {
        Assert.True(HookSignature.Verify(ReceiverType.GitHub, "sha256=" + DocsSignature, DocsSecret, DocsBody));
        Assert.Equal("sha256=" + DocsSignature, HookSignature.Sign(ReceiverType.GitHub, DocsSecret, DocsBody));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(DocsSignature)] // no sha256= prefix
    [InlineData("sha1=" + DocsSignature)]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e18")]
    [InlineData("sha256=757107ea")]
    [InlineData("sha256=not-hex-at-all")]
    public void Verify_GitHubWrongOrMissing_IsRefused(string? header)
    {
        Assert.False(HookSignature.Verify(ReceiverType.GitHub, header, DocsSecret, DocsBody));
    }

    [Fact]
    public void Verify_BodyChangedByOneByte_IsRefused()
    {
        var changed = Encoding.UTF8.GetBytes("Hello, World?");

        Assert.False(HookSignature.Verify(ReceiverType.GitHub, "sha256=" + DocsSignature, DocsSecret, changed));
    }

    [Fact]
    public void Verify_GiteaPlainHex_IsAcceptedAndPrefixedIsNot()
    {
        Assert.True(HookSignature.Verify(ReceiverType.Gitea, DocsSignature, DocsSecret, DocsBody));
        Assert.True(HookSignature.Verify(ReceiverType.Gitea, DocsSignature.ToUpperInvariant(), DocsSecret, DocsBody));
        Assert.False(HookSignature.Verify(ReceiverType.Gitea, "sha256=" + DocsSignature, DocsSecret, DocsBody));
    }

    [Fact]
    public void Verify_GenericHmac_UsesTheSha256Prefix()
    {
        var body = Encoding.UTF8.GetBytes("""{"repository": "https://git.example.com/deploy.git", "ref": "refs/heads/main"}""");
        var header = HookSignature.Sign(ReceiverType.GenericHmac, DocsSecret, body);

        Assert.StartsWith("sha256=", header, StringComparison.Ordinal);
        Assert.True(HookSignature.Verify(ReceiverType.GenericHmac, header, DocsSecret, body));
        Assert.False(HookSignature.Verify(ReceiverType.GenericHmac, header, Encoding.UTF8.GetBytes("other"), body));
    }

    [Theory]
    [InlineData("It's a Secret to Everybody", true)]
    [InlineData("It's a Secret to Everybody ", false)]
    [InlineData("It's a Secret", false)]
    [InlineData("", false)]
    public void Verify_GitLabToken_MustEqualTheSecret(string token, bool expected)
    {
        Assert.Equal(expected, HookSignature.Verify(ReceiverType.GitLab, token, DocsSecret, DocsBody));
    }

    [Fact]
    public void Verify_EmptySecret_RefusesEvenAMatchingSignature()
    {
        var header = "sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Array.Empty<byte>(), DocsBody));

        Assert.False(HookSignature.Verify(ReceiverType.GitHub, header, [], DocsBody));
    }
}
