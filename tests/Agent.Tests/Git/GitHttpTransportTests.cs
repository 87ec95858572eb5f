using GitOps.Agent.Git;
using GitOps.TestSupport.Git;

namespace GitOps.Agent.Tests.Git;

/// <summary>HTTP with basic auth against a real server (lighttpd + git-http-backend on loopback).</summary>
public sealed class GitHttpTransportTests : IClassFixture<GitHttpServer>, IDisposable
{
    private readonly GitHttpServer server;
    private readonly RemoteRepository repo;
    private readonly string name = $"r-{Guid.NewGuid():N}.git";

    public GitHttpTransportTests(GitHttpServer server)
    {
        this.server = server;
        repo = new RemoteRepository(server.PathOf(name));
    }

    public void Dispose() => repo.Dispose();

    [Fact]
    public async Task GetRevision_RightToken_ClonesAndReads()
    {
        var sha = repo.Write("deploy/a.yaml", "kind: A\n").Commit("one");
        var spec = Spec(GitHttpServer.Token);

        var revision = await new GitSource(repo.CachePath).GetRevisionAsync(spec, null, CancellationToken.None);

        Assert.Equal(sha, revision.CommitSha);
        Assert.Equal(["deploy/a.yaml"], revision.Files.Select(f => f.Path));
    }

    [Fact]
    public async Task GetRevision_WrongToken_FailsWithoutTheSecretInAnyMessage()
    {
        repo.Write("deploy/a.yaml", "a").Commit("one");
        const string wrong = "wrong-token-d41d8cd9";
        var spec = Spec(wrong);

        var ex = await Assert.ThrowsAsync<GitSourceException>(() => new GitSource(repo.CachePath).GetRevisionAsync(spec, null, CancellationToken.None));

        Assert.Contains("authentication failed", ex.Message, StringComparison.Ordinal);
        Assert.Contains(server.UrlOf(name), ex.Message, StringComparison.Ordinal);
        Assert.Contains(spec.Credentials!.TokenFile!, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(GitHttpServer.Token, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetRevision_NoCredentials_SaysTheServerWantsThem()
    {
        repo.Write("deploy/a.yaml", "a").Commit("one");

        var ex = await Assert.ThrowsAsync<GitSourceException>(() => new GitSource(repo.CachePath).GetRevisionAsync(new GitSourceSpec(server.UrlOf(name), "main", "deploy"), null, CancellationToken.None));

        Assert.Contains("requires authentication", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetRevision_TokenFileRotated_IsReadAgainOnNextUse()
    {
        var sha = repo.Write("deploy/a.yaml", "a").Commit("one");
        var spec = Spec(GitHttpServer.Token);
        var source = new GitSource(repo.CachePath);
        Assert.Equal(sha, (await source.GetRevisionAsync(spec, null, CancellationToken.None)).CommitSha);

        await File.WriteAllTextAsync(spec.Credentials!.TokenFile!, "revoked-token\n");

        await Assert.ThrowsAsync<GitSourceException>(() => source.GetRevisionAsync(spec, null, CancellationToken.None));
    }

    [Fact]
    public async Task GetRevision_CredentialsInUrl_WorkButNeverReachCacheOrMessages()
    {
        var sha = repo.Write("deploy/a.yaml", "a").Commit("one");
        var withToken = server.UrlOf(name).Replace("http://", $"http://{GitHttpServer.User}:{GitHttpServer.Token}@", StringComparison.Ordinal);

        var revision = await new GitSource(repo.CachePath).GetRevisionAsync(new GitSourceSpec(withToken, "main", "deploy"), null, CancellationToken.None);

        Assert.Equal(sha, revision.CommitSha);
        var cacheConfig = Directory.EnumerateFiles(repo.CachePath, "config", SearchOption.AllDirectories).Single();
        Assert.DoesNotContain(GitHttpServer.Token, await File.ReadAllTextAsync(cacheConfig), StringComparison.Ordinal);

        var wrongUrl = server.UrlOf(name).Replace("http://", $"http://{GitHttpServer.User}:not-the-token-77@", StringComparison.Ordinal);
        var ex = await Assert.ThrowsAsync<GitSourceException>(() => new GitSource(repo.CachePath).GetRevisionAsync(new GitSourceSpec(wrongUrl, "main", "deploy"), null, CancellationToken.None));
        Assert.DoesNotContain("not-the-token-77", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetRevision_MissingTokenFile_FailsNamingTheFile()
    {
        var spec = new GitSourceSpec(server.UrlOf(name), "main", "deploy") { Credentials = new GitCredentials(null, "/nonexistent/token") };

        var ex = await Assert.ThrowsAsync<GitSourceException>(() => new GitSource(repo.CachePath).GetRevisionAsync(spec, null, CancellationToken.None));

        Assert.Contains("/nonexistent/token", ex.Message, StringComparison.Ordinal);
    }

    private GitSourceSpec Spec(string token) => new(server.UrlOf(name), "main", "deploy")
    {
        Credentials = new GitCredentials(server.SecretFile("user", GitHttpServer.User), server.SecretFile("token", token)),
    };
}
