using System.Text.Json.Nodes;
using GitOps.TestSupport.Forge;

namespace GitOps.Agent.Tests.Hosting.Hooks;

/// <summary>
/// The GitHub payloads the receiver's tests send are GitHub's: built from real examples
/// (@octokit/webhooks-examples) and valid by GitHub's event schemas (@octokit/webhooks-schemas).
/// </summary>
public sealed class GitHubPayloadTests
{
    [Theory]
    [InlineData("refs/heads/main")]
    [InlineData("refs/heads/feature")]
    [InlineData("refs/tags/main")]
    public void Push_AsTheReceiverTestsSendIt_ConformsToGitHubsPushSchema(string reference)
    {
        var payload = JsonNode.Parse(HookReceiverTests.GitHubPush(reference))!;

        Assert.Empty(GitHubWebhooks.Check("push", payload));
        Assert.Equal(reference, (string?)payload["ref"]);
        Assert.Equal("https://github.com/org/deploy.git", (string?)payload["repository"]!["clone_url"]);
    }

    [Fact]
    public void Ping_AsTheReceiverTestsSendIt_ConformsToGitHubsPingSchema()
    {
        Assert.Empty(GitHubWebhooks.Check("ping", GitHubWebhooks.Ping()));
    }

    [Fact]
    public void Check_HandWrittenPayloadWithOnlyTheFieldsTheReceiverReads_IsNotAGitHubPush()
    {
        var minimal = JsonNode.Parse("""{"ref":"refs/heads/main","repository":{"clone_url":"https://github.com/org/deploy.git"}}""")!;

        var problems = GitHubWebhooks.Check("push", minimal);

        Assert.Contains(problems, p => p.Contains("required", StringComparison.Ordinal));
    }
}
