using System.Text;
using GitOps.Agent.Hosting;
using GitOps.Agent.Hosting.Hooks;
using GitOps.Agent.Tests.Git;
using GitOps.TestSupport.Forge;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Agent.Tests.Hosting.Hooks;

/// <summary>The receiver over an in-memory HTTP context: which deliveries wake which targets, and which do no work.</summary>
public sealed class HookReceiverTests : IDisposable
{
    private const string Secret = "hook-secret-5d1f";
    private readonly TempFolder temp = new();
    private readonly FakeTimeProvider clock = new();
    private readonly List<string> announced = [];
    private readonly HookReceiver receiver;

    public HookReceiverTests()
    {
        File.WriteAllText(temp.Combine("secret"), Secret + "\n");
        ReceiverConfig[] receivers =
        [
            new("github", ReceiverType.GitHub, temp.Combine("secret")),
            new("gitlab", ReceiverType.GitLab, temp.Combine("secret")),
            new("gitea", ReceiverType.Gitea, temp.Combine("secret")),
            new("generic", ReceiverType.GenericHmac, temp.Combine("secret")),
            new("nosecret", ReceiverType.GitHub, temp.Combine("missing")),
        ];
        TargetConfig[] targets =
        [
            new("web", "git@github.com:org/deploy.git", "main", "web"),
            new("api", "https://github.com/org/deploy", "main", "api"),
            new("staging", "https://github.com/org/deploy.git", "staging", "."),
            new("other", "https://github.com/org/other.git", "main", "."),
        ];
        receiver = new HookReceiver(receivers, targets, announced.Add, clock, NullLogger<HookReceiver>.Instance);
    }

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Respond_SignedGitHubPush_WakesExactlyTheTargetsOfThatRepositoryAndBranch()
    {
        var (status, body) = await PostAsync("github", GitHubPush("refs/heads/main"), SignedGitHub);

        Assert.Equal(StatusCodes.Status202Accepted, status);
        Assert.Equal("""{"targets":["web","api"]}""", body);
        Assert.Equal(["web", "api"], announced);
    }

    [Fact]
    public async Task Respond_PushToAnotherBranch_WakesOnlyThatBranchsTarget()
    {
        var (status, body) = await PostAsync("github", GitHubPush("refs/heads/staging"), SignedGitHub);

        Assert.Equal(StatusCodes.Status202Accepted, status);
        Assert.Equal("""{"targets":["staging"]}""", body);
    }

    [Theory]
    [InlineData("refs/heads/feature")]
    [InlineData("refs/tags/main")]
    public async Task Respond_BranchNobodyFollows_Is202WithNoTargets(string reference)
    {
        var (status, body) = await PostAsync("github", GitHubPush(reference), SignedGitHub);

        Assert.Equal(StatusCodes.Status202Accepted, status);
        Assert.Equal("""{"targets":[]}""", body);
        Assert.Empty(announced);
    }

    [Fact]
    public async Task Respond_UnknownRepository_Is202WithNoTargets()
    {
        var payload = GitHubPush("refs/heads/main").Replace("org/deploy", "org/unknown", StringComparison.Ordinal);

        var (status, body) = await PostAsync("github", payload, SignedGitHub);

        Assert.Equal(StatusCodes.Status202Accepted, status);
        Assert.Equal("""{"targets":[]}""", body);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sha256=0000000000000000000000000000000000000000000000000000000000000000")]
    public async Task Respond_BadOrMissingSignature_Is401AndNoWork(string? signature)
    {
        var (status, _) = await PostAsync("github", GitHubPush("refs/heads/main"), r =>
        {
            r.Headers["X-GitHub-Event"] = "push";
            if (signature is not null)
            {
                r.Headers["X-Hub-Signature-256"] = signature;
            }
        });

        Assert.Equal(StatusCodes.Status401Unauthorized, status);
        Assert.Empty(announced);
    }

    [Fact]
    public async Task Respond_PingSignedOrNot_PingIs200AndUnsignedIs401()
    {
        var (signed, body) = await PostAsync("github", GitHubWebhooks.Ping().ToJsonString(), r => SignedGitHub(r, "ping"));
        var (unsigned, _) = await PostAsync("github", """{"zen":"x"}""", r => r.Headers["X-GitHub-Event"] = "ping");

        Assert.Equal(StatusCodes.Status200OK, signed);
        Assert.Equal("pong", body);
        Assert.Equal(StatusCodes.Status401Unauthorized, unsigned);
        Assert.Empty(announced);
    }

    [Fact]
    public async Task Respond_ReplayedDelivery_Is200AndNoWorkUntilTheWindowPasses()
    {
        void Delivery(HttpRequest r) => SignedGitHub(r, "push", "72d3162e-cc78-11e3-81ab-4c9367dc0958");

        var (first, _) = await PostAsync("github", GitHubPush("refs/heads/main"), Delivery);
        var (replay, body) = await PostAsync("github", GitHubPush("refs/heads/main"), Delivery);
        clock.Advance(DeliveryLog.Window);
        var (later, _) = await PostAsync("github", GitHubPush("refs/heads/main"), Delivery);

        Assert.Equal(StatusCodes.Status202Accepted, first);
        Assert.Equal(StatusCodes.Status200OK, replay);
        Assert.Equal("delivery already seen", body);
        Assert.Equal(StatusCodes.Status202Accepted, later);
        Assert.Equal(["web", "api", "web", "api"], announced);
    }

    [Fact]
    public async Task Respond_GitLabPushWithToken_WakesTheTargets()
    {
        var payload = """{"object_kind":"push","ref":"refs/heads/main","project":{"git_http_url":"https://github.com/org/other.git","git_ssh_url":"git@github.com:org/other.git","web_url":"https://github.com/org/other"}}""";

        var (status, body) = await PostAsync("gitlab", payload, r =>
        {
            r.Headers["X-Gitlab-Event"] = "Push Hook";
            r.Headers["X-Gitlab-Token"] = Secret;
        });

        Assert.Equal(StatusCodes.Status202Accepted, status);
        Assert.Equal("""{"targets":["other"]}""", body);
    }

    [Fact]
    public async Task Respond_GiteaAndGenericPushes_WakeTheTargets()
    {
        var gitea = GitHubPush("refs/heads/staging");
        var generic = """{"repository": "ssh://git@github.com/org/deploy.git", "ref": "refs/heads/main"}""";

        var (giteaStatus, giteaBody) = await PostAsync("gitea", gitea, r =>
        {
            r.Headers["X-Gitea-Event"] = "push";
            r.Headers["X-Gitea-Signature"] = HookSignature.Sign(ReceiverType.Gitea, Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(gitea));
        });
        var (genericStatus, genericBody) = await PostAsync("generic", generic, r =>
            r.Headers["X-Signature"] = HookSignature.Sign(ReceiverType.GenericHmac, Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(generic)));

        Assert.Equal((StatusCodes.Status202Accepted, """{"targets":["staging"]}"""), (giteaStatus, giteaBody));
        Assert.Equal((StatusCodes.Status202Accepted, """{"targets":["web","api"]}"""), (genericStatus, genericBody));
    }

    [Fact]
    public async Task Respond_UnknownReceiver_Is404()
    {
        var (status, _) = await PostAsync("bitbucket", GitHubPush("refs/heads/main"), SignedGitHub);

        Assert.Equal(StatusCodes.Status404NotFound, status);
        Assert.Empty(announced);
    }

    [Fact]
    public async Task Respond_SecretFileMissing_Is503AndNoWork()
    {
        var (status, _) = await PostAsync("nosecret", GitHubPush("refs/heads/main"), SignedGitHub);

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, status);
        Assert.Empty(announced);
    }

    [Fact]
    public async Task Respond_BodyOverOneMebibyte_Is413WithOrWithoutContentLength()
    {
        var big = "{\"pad\":\"" + new string('x', HookReceiver.MaxBodyBytes) + "\"}";

        var (declared, _) = await PostAsync("github", big, SignedGitHub);
        var (streamed, _) = await PostAsync("github", big, r =>
        {
            SignedGitHub(r);
            r.ContentLength = null;
        });

        Assert.Equal(StatusCodes.Status413PayloadTooLarge, declared);
        Assert.Equal(StatusCodes.Status413PayloadTooLarge, streamed);
        Assert.Empty(announced);
    }

    [Fact]
    public async Task Respond_BodyThatNeverArrives_Is408AfterTheBodyTimeout()
    {
        var context = Context("github", []);
        context.Request.Body = new StalledStream();
        SignedGitHub(context.Request);

        var response = receiver.RespondAsync(context);
        Assert.False(response.IsCompleted);
        clock.Advance(receiver.BodyTimeout);
        await response.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(StatusCodes.Status408RequestTimeout, context.Response.StatusCode);
        Assert.Empty(announced);
    }

    /// <summary>A real GitHub push payload (@octokit/webhooks-examples) of org/deploy; GitHubPayloadTests checks it against GitHub's schema.</summary>
    internal static string GitHubPush(string reference) => GitHubWebhooks.Push(
        "https://github.com/org/deploy.git", reference, new string('0', 40), "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
        sshUrl: "git@github.com:org/deploy.git", htmlUrl: "https://github.com/org/deploy", gitUrl: "git://github.com/org/deploy.git").ToJsonString();

    private static void SignedGitHub(HttpRequest request) => SignedGitHub(request, "push");

    private static void SignedGitHub(HttpRequest request, string eventName, string? delivery = null)
    {
        request.Headers["X-GitHub-Event"] = eventName;
        if (delivery is not null)
        {
            request.Headers["X-GitHub-Delivery"] = delivery;
        }

        request.Body.Position = 0;
        var body = new MemoryStream();
        request.Body.CopyTo(body);
        request.Body.Position = 0;
        request.Headers["X-Hub-Signature-256"] = HookSignature.Sign(ReceiverType.GitHub, Encoding.UTF8.GetBytes(Secret), body.ToArray());
    }

    private async Task<(int Status, string Body)> PostAsync(string name, string payload, Action<HttpRequest> sign)
    {
        var context = Context(name, Encoding.UTF8.GetBytes(payload));
        sign(context.Request);
        await receiver.RespondAsync(context);
        return (context.Response.StatusCode, Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray()).TrimEnd('\n'));
    }

    private static DefaultHttpContext Context(string name, byte[] body)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Path = "/hooks/" + name;
        context.Request.Body = new MemoryStream(body);
        context.Request.ContentLength = body.Length;
        context.Response.Body = new MemoryStream();
        return context;
    }

    /// <summary>A sender that opened the body and then stopped sending.</summary>
    private sealed class StalledStream : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => 0;
        public override long Position { get; set; }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override int Read(byte[] buffer, int offset, int count) => 0;
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => 0;
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
