using System.Text.Json.Nodes;
using GitOps.Agent.Git;
using GitOps.Agent.Kube;
using GitOps.Agent.Sync;
using GitOps.Agent.Sync.Forge;
using GitOps.Agent.Tests.Git;
using GitOps.Diff.Drift;
using GitOps.Diff.Health;
using GitOps.Diff.Identity;
using GitOps.TestSupport.Forge;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Agent.Tests.Sync.Forge;

/// <summary>
/// What the reporter sends to GitHub, checked against GitHub's own published REST description
/// (@octokit/openapi): the operations, their query parameters, the body's required and declared
/// fields and the state enum. GitLab and Gitea publish no such package; their shapes are checked
/// field by field in <see cref="CommitStatusReporterTests"/>.
/// </summary>
public sealed class GitHubDescriptionTests : IDisposable
{
    private const string PostTemplate = "/repos/{owner}/{repo}/statuses/{sha}";
    private static readonly string Commit = new('a', 40);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly TempFolder folder = new();
    private readonly PassContext pass = new(new SyncTarget("app"), new GitSourceSpec("https://git.example.com/r.git", "main", "."), Commit);

    public void Dispose() => folder.Dispose();

    [Theory]
    [InlineData("")]
    [InlineData("/api/v3")] // GitHub Enterprise Server: same operations under /api/v3
    public async Task FinishedAsync_PendingSuccessFailure_EveryRequestConformsToGitHubsDescription(string basePath)
    {
        await using var forge = await FakeForge.StartAsync(ForgeProvider.GitHub);
        var reporter = Reporter(forge, basePath, publicUrl: "https://gitops.example.com/");

        await reporter.ProgressingAsync(pass, CancellationToken.None);
        await reporter.FinishedAsync(pass, Synced(), infrastructure: false, CancellationToken.None);
        var other = pass with { Commit = new string('b', 40) };
        await reporter.FinishedAsync(other, SyncResult.Failure(other.Commit!, "app", new string('x', 400), clusterRevision: null), infrastructure: false, CancellationToken.None);

        var requests = forge.Requests.ToList();
        Assert.Equal(6, requests.Count); // a listing before each of the three posts
        Assert.All(requests, r => Assert.Empty(GitHubRestDescription.Instance.Check(r, basePath)));
        var states = StateEnum();
        Assert.All(forge.Posts, p => Assert.Contains(p.Field("state")!, states));
        Assert.All(forge.Posts, p => Assert.InRange(p.Field("description")!.Length, 1, MaxDescription()));
    }

    [Fact]
    public async Task FinishedAsync_NoPublicUrl_SendsNoTargetUrlAndStillConforms()
    {
        await using var forge = await FakeForge.StartAsync(ForgeProvider.GitHub);

        await Reporter(forge, "", publicUrl: null).FinishedAsync(pass, Synced(), infrastructure: false, CancellationToken.None);

        var post = Assert.Single(forge.Posts);
        Assert.Null(post.Body!["target_url"]);
        Assert.Empty(GitHubRestDescription.Instance.Check(post));
    }

    [Fact]
    public void Check_MisspelledFieldUnknownStateOrPath_NamesEachProblem()
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = "application/json; charset=utf-8" };
        var body = new JsonObject { ["state"] = "succeeded", ["contxt"] = "gitops/prod/app" };

        var bad = GitHubRestDescription.Instance.Check(new ForgeRequest("POST", $"/repos/o/r/statuses/{Commit}", headers, body));
        var noState = GitHubRestDescription.Instance.Check(new ForgeRequest("POST", $"/repos/o/r/statuses/{Commit}", headers, new JsonObject { ["context"] = "c" }));
        var badQuery = GitHubRestDescription.Instance.Check(new ForgeRequest("GET", $"/repos/o/r/commits/{Commit}/statuses?per_page=all&limit=5", headers, null));
        var noPath = GitHubRestDescription.Instance.Check(new ForgeRequest("POST", $"/repos/o/r/status/{Commit}", headers, body));

        Assert.Contains(bad, p => p.Contains("/state", StringComparison.Ordinal) && p.Contains("enum", StringComparison.Ordinal));
        Assert.Contains(bad, p => p.Contains("/contxt", StringComparison.Ordinal) || p.Contains("contxt", StringComparison.Ordinal));
        Assert.Contains(noState, p => p.Contains("required", StringComparison.Ordinal) && p.Contains("state", StringComparison.Ordinal));
        Assert.Contains(badQuery, p => p.Contains("'per_page=all' is not an integer", StringComparison.Ordinal));
        Assert.Contains(badQuery, p => p.Contains("'limit' is not declared", StringComparison.Ordinal));
        Assert.Equal([$"POST /repos/o/r/status/{Commit}: no such operation in GitHub's description {GitHubRestDescription.Instance.Version}"], noPath);
    }

    [Fact]
    public void StateName_EveryState_IsInGitHubsEnum()
    {
        var api = new ForgeApi(new CommitStatusConfig(ForgeProvider.GitHub, new Uri("https://api.github.com"), "o/r", "/dev/null"));

        Assert.All(Enum.GetValues<CommitState>(), s => Assert.Contains(api.StateName(s), StateEnum()));
    }

    private static List<string> StateEnum() =>
        GitHubRestDescription.Instance.BodySchema("POST", PostTemplate)["properties"]!["state"]!["enum"]!.AsArray().Select(s => (string)s!).ToList();

    /// <summary>
    /// GitHub's description declares no maxLength for the description (its documentation and the web UI
    /// cut at 140); when a later version declares one, the agent's limit must fit it.
    /// </summary>
    private static int MaxDescription() =>
        GitHubRestDescription.Instance.BodySchema("POST", PostTemplate)["properties"]!["description"]!["maxLength"] is JsonValue max
            ? Math.Min((int)max, StatusDescription.MaxLength)
            : StatusDescription.MaxLength;

    private CommitStatusReporter Reporter(FakeForge forge, string basePath, string? publicUrl)
    {
        var token = folder.Combine("token");
        File.WriteAllText(token, "forge-token-9b1c\n");
        var config = new CommitStatusConfig(ForgeProvider.GitHub, new Uri(forge.Url + basePath), "owner/repo", token);
        return new CommitStatusReporter(Http, "prod", publicUrl, new Dictionary<string, CommitStatusConfig> { ["app"] = config }, new FakeTimeProvider(), WriteFence.None);
    }

    private static SyncResult Synced() => new(Commit, "app", SyncPhase.Synced, HealthStatus.Healthy, "synced",
        [new ObjectResult(new ResourceKey("apps", "Deployment", "web", "a"), SyncAction.Created, HealthStatus.Healthy)]);
}
