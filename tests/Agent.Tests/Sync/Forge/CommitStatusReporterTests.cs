using GitOps.Agent.Git;
using GitOps.Agent.Kube;
using GitOps.Agent.Sync;
using GitOps.Agent.Sync.Forge;
using GitOps.Agent.Tests.Git;
using GitOps.TestSupport.Forge;
using GitOps.Diff.Drift;
using GitOps.Diff.Health;
using GitOps.Diff.Identity;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Agent.Tests.Sync.Forge;

/// <summary>What each forge receives from a pass, over real HTTP to a local forge.</summary>
public sealed class CommitStatusReporterTests : IDisposable
{
    private const string Token = "s3cr3t-forge-token";
    private static readonly string Commit = new('a', 40);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly TempFolder folder = new();
    private readonly FakeTimeProvider clock = new();
    private readonly PassContext pass = new(new SyncTarget("app"), new GitSourceSpec("https://git.example.com/r.git", "main", "."), Commit);

    public void Dispose() => folder.Dispose();

    [Theory]
    [InlineData("GitHub", "/api/v3", "owner/repo", "/api/v3/repos/owner/repo/statuses/", "Authorization", "Bearer " + Token, "context", "failure")]
    [InlineData("GitLab", "/api/v4", "group/sub/proj", "/api/v4/projects/group%2Fsub%2Fproj/statuses/", "PRIVATE-TOKEN", Token, "name", "failed")]
    [InlineData("Gitea", "/api/v1", "owner/repo", "/api/v1/repos/owner/repo/statuses/", "Authorization", "token " + Token, "context", "failure")]
    public async Task FinishedAsync_EachProvider_PostsItsPathAuthAndBody(
        string forgeName, string api, string repository, string postPath, string authHeader, string authValue, string contextField, string failure)
    {
        var provider = Enum.Parse<ForgeProvider>(forgeName);
        await using var forge = await FakeForge.StartAsync(provider);
        var reporter = Reporter(forge, provider, api, repository);

        await reporter.ProgressingAsync(pass, CancellationToken.None);
        await reporter.FinishedAsync(pass, Synced(), infrastructure: false, CancellationToken.None);
        await reporter.FinishedAsync(pass with { Commit = new string('b', 40) }, Failed("Deployment/web: image pull failed"), infrastructure: false, CancellationToken.None);

        var posts = forge.Posts.ToList();
        Assert.Equal(["pending", "success", failure], posts.Select(p => p.Field("state")));
        Assert.All(posts, p => Assert.Equal(authValue, p.Headers[authHeader]));
        Assert.All(posts, p => Assert.Equal("gitops/prod/app", p.Field(contextField)));
        Assert.Equal(postPath + Commit, posts[1].Path);
        Assert.Equal($"https://gitops.example.com/targets/app/commits/{Commit}", posts[1].Field("target_url"));
        Assert.Equal("Healthy: created=2 unchanged=1", posts[1].Field("description"));
        Assert.StartsWith("Deployment/web: image pull failed", posts[2].Field("description"), StringComparison.Ordinal);
        Assert.Equal(3, forge.Requests.Count(r => r.Method == "GET")); // listed before every post
    }

    [Fact]
    public async Task FinishedAsync_GitHub_SendsTheApiVersionAndMediaType()
    {
        await using var forge = await FakeForge.StartAsync(ForgeProvider.GitHub);

        await Reporter(forge).FinishedAsync(pass, Synced(), infrastructure: false, CancellationToken.None);

        var post = Assert.Single(forge.Posts);
        Assert.Equal("application/vnd.github+json", post.Headers["Accept"]);
        Assert.Equal(ForgeApi.GitHubApiVersion, post.Headers["X-GitHub-Api-Version"]);
        Assert.Equal("/repos/owner/repo/commits/" + Commit + "/statuses", forge.Requests.First().Path);
    }

    [Fact]
    public async Task FinishedAsync_CommitAlreadyHasTheStatus_PostsNothing()
    {
        await using var forge = await FakeForge.StartAsync(ForgeProvider.GitHub);
        forge.Has(Commit, "gitops/prod/app", "success", "Healthy: created=2 unchanged=1");
        var reporter = Reporter(forge);

        await reporter.FinishedAsync(pass, Synced(), infrastructure: false, CancellationToken.None);
        await reporter.FinishedAsync(pass, Synced(), infrastructure: false, CancellationToken.None);

        Assert.Empty(forge.Posts);
        Assert.Single(forge.Requests); // the second pass knew without asking
    }

    [Fact]
    public async Task FinishedAsync_InfrastructureFailureOnACommitWithAVerdict_DoesNotReplaceIt()
    {
        await using var forge = await FakeForge.StartAsync(ForgeProvider.GitHub);
        forge.Has(Commit, "gitops/prod/app", "success", "Healthy: created=2 unchanged=1");

        await Reporter(forge).FinishedAsync(pass, SyncResult.Failure(Commit, "app", "cannot reach the API server: refused"), infrastructure: true, CancellationToken.None);

        Assert.Empty(forge.Posts);
    }

    [Fact]
    public async Task FinishedAsync_TooManyRequestsWithRetryAfter_WaitsThenPosts()
    {
        await using var forge = await FakeForge.StartAsync(ForgeProvider.GitHub);
        forge.Answer(new ForgeAnswer("GET", 429, """{"message":"slow down"}""", new Dictionary<string, string> { ["Retry-After"] = "3" }));
        var start = clock.GetUtcNow();

        await WithClockAsync(Reporter(forge).FinishedAsync(pass, Synced(), infrastructure: false, CancellationToken.None));

        Assert.Equal("success", Assert.Single(forge.Posts).Field("state"));
        Assert.True(clock.GetUtcNow() - start >= TimeSpan.FromSeconds(3), "the forge's Retry-After was honoured");
    }

    [Fact]
    public async Task FinishedAsync_ForbiddenWithNoRequestsRemaining_WaitsForTheReset()
    {
        await using var forge = await FakeForge.StartAsync(ForgeProvider.GitHub);
        var reset = clock.GetUtcNow().AddSeconds(4).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        forge.Answer(new ForgeAnswer("GET", 403, """{"message":"API rate limit exceeded"}""", new Dictionary<string, string> { ["X-RateLimit-Remaining"] = "0", ["X-RateLimit-Reset"] = reset }));
        var start = clock.GetUtcNow();

        await WithClockAsync(Reporter(forge).FinishedAsync(pass, Synced(), infrastructure: false, CancellationToken.None));

        Assert.Single(forge.Posts);
        Assert.True(clock.GetUtcNow() - start >= TimeSpan.FromSeconds(4), "waited until X-RateLimit-Reset");
    }

    [Fact]
    public async Task FinishedAsync_RateLimitLongerThanTheBudget_GivesUpWithoutWaiting()
    {
        await using var forge = await FakeForge.StartAsync(ForgeProvider.GitHub);
        forge.Answer(new ForgeAnswer("GET", 429, """{"message":"slow down"}""", new Dictionary<string, string> { ["Retry-After"] = "60" }));

        var error = await Assert.ThrowsAsync<ForgeException>(() => Reporter(forge).FinishedAsync(pass, Synced(), infrastructure: false, CancellationToken.None));

        Assert.Contains("gave up", error.Message, StringComparison.Ordinal);
        Assert.Contains("slow down", error.Message, StringComparison.Ordinal);
        Assert.Empty(forge.Posts);
    }

    [Fact]
    public async Task FinishedAsync_ServerErrorThenSuccess_RetriesThePost()
    {
        await using var forge = await FakeForge.StartAsync(ForgeProvider.Gitea);
        forge.Answer(new ForgeAnswer("GET", 200, "[]"));
        forge.Answer(new ForgeAnswer("POST", 500, """{"message":"database is locked"}"""));

        await WithClockAsync(Reporter(forge, ForgeProvider.Gitea).FinishedAsync(pass, Synced(), infrastructure: false, CancellationToken.None));

        Assert.Equal(2, forge.Posts.Count());
    }

    [Fact]
    public async Task FinishedAsync_ServerErrorEveryTime_GivesUpAfterTheAttemptsWithTheForgesWords()
    {
        await using var forge = await FakeForge.StartAsync(ForgeProvider.GitHub);
        forge.Answer(new ForgeAnswer("GET", 200, "[]"));
        for (var i = 0; i < new ForgeOptions().Attempts; i++)
        {
            forge.Answer(new ForgeAnswer("POST", 500, """{"message":"Server Error"}"""));
        }

        var error = await Assert.ThrowsAsync<ForgeException>(() => WithClockAsync(Reporter(forge).FinishedAsync(pass, Synced(), infrastructure: false, CancellationToken.None)));

        Assert.Equal(new ForgeOptions().Attempts, forge.Posts.Count());
        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, error.Status);
        Assert.Contains("500 Internal Server Error: Server Error", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FinishedAsync_TooManyRequestsOnThePost_PostsAgainAfterRetryAfter()
    {
        await using var forge = await FakeForge.StartAsync(ForgeProvider.GitHub);
        forge.Answer(new ForgeAnswer("GET", 200, "[]"));
        forge.Answer(new ForgeAnswer("POST", 429, """{"message":"You have exceeded a secondary rate limit"}""", new Dictionary<string, string> { ["Retry-After"] = "2" }));
        var start = clock.GetUtcNow();

        await WithClockAsync(Reporter(forge).FinishedAsync(pass, Synced(), infrastructure: false, CancellationToken.None));

        Assert.Equal(["success", "success"], forge.Posts.Select(p => p.Field("state")));
        Assert.True(clock.GetUtcNow() - start >= TimeSpan.FromSeconds(2), "the forge's Retry-After was honoured");
    }

    [Fact]
    public async Task FinishedAsync_Unauthorized_ThrowsTheForgesWordsWithoutTheToken()
    {
        await using var forge = await FakeForge.StartAsync(ForgeProvider.GitHub);
        forge.Answer(new ForgeAnswer("GET", 401, $$"""{"message":"Bad credentials: {{Token}}","documentation_url":"https://docs.github.com/rest"}"""));

        var error = await Assert.ThrowsAsync<ForgeException>(() => Reporter(forge).FinishedAsync(pass, Synced(), infrastructure: false, CancellationToken.None));

        Assert.Contains("401", error.Message, StringComparison.Ordinal);
        Assert.Contains("Bad credentials", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FinishedAsync_LongFailureReason_IsCutTo140Characters()
    {
        await using var forge = await FakeForge.StartAsync(ForgeProvider.GitHub);

        await Reporter(forge).FinishedAsync(pass, Failed("Deployment/web: " + new string('x', 300)), infrastructure: false, CancellationToken.None);

        var description = Assert.Single(forge.Posts).Field("description")!;
        Assert.Equal(StatusDescription.MaxLength, description.Length);
        Assert.EndsWith("…", description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FinishedAsync_TokenFileRewritten_UsesTheNewToken()
    {
        await using var forge = await FakeForge.StartAsync(ForgeProvider.Gitea);
        var reporter = Reporter(forge, ForgeProvider.Gitea);
        await reporter.FinishedAsync(pass, Synced(), infrastructure: false, CancellationToken.None);

        await File.WriteAllTextAsync(folder.Combine("token"), "rotated\n");
        await reporter.FinishedAsync(pass, Failed("Job/migrate: failed"), infrastructure: false, CancellationToken.None);

        Assert.Equal(["token " + Token, "token rotated"], forge.Posts.Select(p => p.Headers["Authorization"]));
    }

    [Fact]
    public async Task FinishedAsync_TargetWithoutCommitStatus_SendsNothing()
    {
        await using var forge = await FakeForge.StartAsync(ForgeProvider.GitHub);

        await Reporter(forge).FinishedAsync(pass with { Target = new SyncTarget("other") }, Synced(), infrastructure: false, CancellationToken.None);

        Assert.Empty(forge.Requests);
    }

    private CommitStatusReporter Reporter(FakeForge forge, ForgeProvider provider = ForgeProvider.GitHub, string api = "", string repository = "owner/repo")
    {
        var token = folder.Combine("token");
        if (!File.Exists(token))
        {
            File.WriteAllText(token, Token + "\n");
        }

        var config = new CommitStatusConfig(provider, new Uri(forge.Url + api), repository, token);
        return new CommitStatusReporter(Http, "prod", "https://gitops.example.com/", new Dictionary<string, CommitStatusConfig> { ["app"] = config }, clock, WriteFence.None);
    }

    /// <summary>Moves the fake clock on while <paramref name="task"/> waits on it (a rate limit, a retry delay).</summary>
    private async Task WithClockAsync(Task task)
    {
        while (!task.IsCompleted)
        {
            await Task.WhenAny(task, Task.Delay(20));
            clock.Advance(TimeSpan.FromMilliseconds(250));
        }

        await task;
    }

    private static SyncResult Synced() => new(Commit, "app", SyncPhase.Synced, HealthStatus.Healthy, "synced",
    [
        new ObjectResult(Key("a"), SyncAction.Created, HealthStatus.Healthy),
        new ObjectResult(Key("b"), SyncAction.Created, HealthStatus.Healthy),
        new ObjectResult(Key("c"), SyncAction.Unchanged, HealthStatus.Healthy),
    ]);

    private static SyncResult Failed(string message) => SyncResult.Failure(Commit, "app", message, clusterRevision: new string('c', 40));

    private static ResourceKey Key(string name) => new("apps", "Deployment", "web", name);
}
