using System.Diagnostics;
using System.Text.Json.Nodes;
using GitOps.Agent.Git;
using GitOps.Agent.Hosting.Hooks;
using GitOps.Agent.Sync.Forge;
using GitOps.TestSupport.Forge;
using GitOps.TestSupport.Git;
using Xunit.Abstractions;

namespace GitOps.Integration.Tests.Agent;

/// <summary>
/// `git push` over HTTP to a real git server (lighttpd + git-http-backend) whose own post-receive
/// hook sends a signed GitHub push event (a real example payload, X-Hub-Signature-256) to the agent;
/// the agent follows that server with credentials at a one-minute interval, syncs into the real API
/// server, pushes its note back over HTTP and posts a GitHub commit status to a local forge. Every
/// delivery is checked against GitHub's push schema, every forge request against GitHub's REST description.
/// </summary>
public sealed class ForgeEndToEndTests(ClusterFixture cluster, ITestOutputHelper output) : IClassFixture<ClusterFixture>
{
    private const int Pushes = 6;
    private const string Repository = "deploy.git";

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task GitPushOverHttp_PostReceiveSendsSignedGitHubEvent_SyncedNoteAndSuccessStatusWithinSeconds()
    {
        using var server = new GitHttpServer();
        await using var forge = await FakeForge.StartAsync(ForgeProvider.GitHub);
        await using var a = new AgentHarness(cluster, "forge-e2e") { Interval = TimeSpan.FromSeconds(60) };
        var bare = server.PathOf(Repository);
        Processes.Run("git", Path.GetTempPath(), null, "init", "-q", "--bare", "-b", "main", bare);
        var pushUrl = server.UrlOf(Repository).Replace("http://", $"http://{GitHttpServer.User}:{GitHttpServer.Token}@", StringComparison.Ordinal);

        a.Sync.Repo.Write("a.yaml", Yaml.ConfigMap(a.Namespace, "a", ("k", "0"))).Commit("first");
        var first = Push(a, pushUrl);
        var config = Config(a, server, forge);
        await a.StartAsync(config);
        await WaitAsync(() => Note(bare, first)?.Contains(": Synced", StringComparison.Ordinal) == true, TimeSpan.FromSeconds(60), "the first commit's Synced note", 200);
        var hook = GitHubPushHook.Install(server, Repository, $"http://127.0.0.1:{config.Port}/hooks/github", config.Receivers[0].SecretFile);

        var (notes, statuses, pushing, delivered) = (new List<long>(), new List<long>(), new List<long>(), new List<long>());
        for (var i = 1; i <= Pushes; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(2)); // as people push; back to back the notes flush is what gets measured (NoteBatcher)
            a.Sync.Repo.Write("a.yaml", Yaml.ConfigMap(a.Namespace, "a", ("k", $"{i}"))).Commit($"release {i}");
            var clock = Stopwatch.StartNew();
            var startMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var sha = Push(a, pushUrl); // git runs post-receive, and so the delivery, before the push returns
            pushing.Add(clock.ElapsedMilliseconds);
            var status = WaitAsync(() => forge.Posts.Any(p => p.Path.EndsWith(sha, StringComparison.Ordinal) && p.Field("state") == "success"), TimeSpan.FromSeconds(30), $"a success status on {sha[..7]}", 10, clock, statuses);
            var note = WaitAsync(() => Note(bare, sha)?.Contains(": Synced", StringComparison.Ordinal) == true, TimeSpan.FromSeconds(30), $"a Synced note on {sha[..7]}", 50, clock, notes); // a git process per look: not too often on a loaded machine
            await Task.WhenAll(status, note);
            delivered.Add(hook.SentAtMs().Max() - startMs);
        }

        output.WriteLine($"git push over HTTP → Synced note: {Summary(notes)}; → GitHub success status: {Summary(statuses)}; push → hook posting: {Summary(delivered)}; `git push` itself (with its hook): {Summary(pushing)} — {Pushes} pushes 2 s apart, 60 s interval");
        Assert.All(notes.Concat(statuses), ms => Assert.True(ms < 10_000, $"{ms} ms: a push must reach the cluster and the forge long before the 60 s poll"));
        Assert.Equal($"{Pushes}", (string?)(await a.Sync.ConfigMapAsync("a"))!["data"]!["k"]);
        AssertDeliveriesWereGitHubs(hook);
        Assert.All(forge.Requests, r => Assert.Empty(GitHubRestDescription.Instance.Check(r)));
        Assert.All(forge.Posts, p => Assert.Equal("Bearer forge-token-e2e", p.Headers["Authorization"]));
    }

    private static void AssertDeliveriesWereGitHubs(GitHubPushHook hook)
    {
        var sent = hook.Sent();
        Assert.Equal(Pushes, sent.Count); // one per pushed branch; the agent's own notes pushes send none
        foreach (var file in sent)
        {
            Assert.Empty(GitHubWebhooks.Check("push", JsonNode.Parse(File.ReadAllText(file))!));
            Assert.Equal("202", File.ReadAllText(Path.ChangeExtension(file, ".status")).Trim()); // the agent woke a target
        }
    }

    private static global::GitOps.Agent.Hosting.AgentConfig Config(AgentHarness a, GitHttpServer server, FakeForge forge)
    {
        var token = server.SecretFile("forge-token", "forge-token-e2e");
        var secret = server.SecretFile("hook-secret", "whsec-e2e-8c41");
        var config = a.Config("solo", server.UrlOf(Repository));
        var target = config.Targets[0] with
        {
            Credentials = new GitCredentials(server.SecretFile("user", GitHttpServer.User), server.SecretFile("token", GitHttpServer.Token)),
            CommitStatus = new CommitStatusConfig(ForgeProvider.GitHub, new Uri(forge.Url), "org/deploy", token),
        };
        return config with { Targets = [target], Receivers = [new ReceiverConfig("github", ReceiverType.GitHub, secret)] };
    }

    private static string Push(AgentHarness a, string pushUrl)
    {
        a.Sync.Repo.Git("push", "-q", pushUrl, "HEAD:main");
        return a.Sync.Repo.Head;
    }

    /// <summary>The gitops note on <paramref name="sha"/> in the served repository, read where the server keeps it.</summary>
    private static string? Note(string bare, string sha)
    {
        var result = Processes.Exec("git", bare, null, "notes", "--ref=gitops", "show", sha);
        return result.ExitCode == 0 ? result.Stdout : null;
    }

    private static async Task WaitAsync(Func<bool> done, TimeSpan timeout, string what, int pollMs, Stopwatch? clock = null, List<long>? took = null)
    {
        var deadline = Stopwatch.StartNew();
        while (!done())
        {
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"{what} did not happen within {timeout.TotalSeconds} s");
            }

            await Task.Delay(pollMs);
        }

        if (clock is not null)
        {
            lock (took!)
            {
                took.Add(clock.ElapsedMilliseconds);
            }
        }
    }

    private static string Summary(List<long> ms)
    {
        var sorted = ms.Order().ToList();
        return $"p50 {sorted[sorted.Count / 2]} ms, max {sorted[^1]} ms ({string.Join(", ", ms)})";
    }
}
