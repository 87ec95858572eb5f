using System.Diagnostics;
using System.Net;
using System.Text;
using GitOps.Agent.Hosting;
using GitOps.Agent.Hosting.Hooks;
using GitOps.Integration.Tests.Sync;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace GitOps.Integration.Tests.Agent;

/// <summary>
/// Webhook deliveries to a running agent over real HTTP, with a one-minute interval: only the hook
/// can bring a pushed commit to Synced within seconds, and a delivery that is not proven does nothing.
/// </summary>
public sealed class HooksTests(ClusterFixture cluster, ITestOutputHelper output) : IClassFixture<ClusterFixture>
{
    private const string Secret = "whsec-3c9a1f-integration";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task GitHubPush_SignedForTheFollowedBranch_SyncsLongBeforeTheInterval()
    {
        await using var a = new AgentHarness(cluster, "hooks") { Interval = TimeSpan.FromSeconds(60) };
        var (config, _) = await StartSyncedAsync(a);
        a.Sync.Repo.Write("a.yaml", Yaml.ConfigMap(a.Namespace, "a", ("k", "2"))).Commit("second");
        var second = a.Push();

        var clock = Stopwatch.StartNew();
        using var response = await PostAsync(config.Port, GitHubPush(a.Remote, "refs/heads/main"), sign: true);
        await a.WaitForStatusAsync(second, "Synced", TimeSpan.FromSeconds(10));
        output.WriteLine($"hook → Synced note took {clock.ElapsedMilliseconds} ms with a {a.Interval.TotalSeconds}s interval");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("{\"targets\":[\"app\"]}\n", await response.Content.ReadAsStringAsync());
        Assert.Equal("2", (string?)(await a.Sync.ConfigMapAsync("a"))!["data"]!["k"]);
    }

    [Fact]
    public async Task GitHubPush_BadSignatureOrAnotherBranch_RunsNoPass()
    {
        await using var a = new AgentHarness(cluster, "hooks-no") { Interval = TimeSpan.FromSeconds(60) };
        var (config, host) = await StartSyncedAsync(a);
        a.Sync.Repo.Write("a.yaml", Yaml.ConfigMap(a.Namespace, "a", ("k", "2"))).Commit("second");
        a.Push();
        var passes = Passes(host);

        using var forged = await PostAsync(config.Port, GitHubPush(a.Remote, "refs/heads/main"), sign: false);
        using var otherBranch = await PostAsync(config.Port, GitHubPush(a.Remote, "refs/heads/feature"), sign: true);
        // Absence of a pass can only be observed over a while; a woken worker starts within milliseconds.
        await Task.Delay(TimeSpan.FromSeconds(4));

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, otherBranch.StatusCode);
        Assert.Equal("{\"targets\":[]}\n", await otherBranch.Content.ReadAsStringAsync());
        Assert.Equal(passes, Passes(host));
        Assert.Equal("1", (string?)(await a.Sync.ConfigMapAsync("a"))!["data"]!["k"]);
    }

    [Fact]
    public async Task GitHubPush_ReplayedOversizedOrUnknownRepository_RunsNoFurtherPass()
    {
        await using var a = new AgentHarness(cluster, "hooks-refused") { Interval = TimeSpan.FromSeconds(60) };
        var (config, host) = await StartSyncedAsync(a);
        a.Sync.Repo.Write("a.yaml", Yaml.ConfigMap(a.Namespace, "a", ("k", "2"))).Commit("second");
        var second = a.Push();
        const string delivery = "3f9d5c4e-0b1a-11f0-8a47-0242ac120002";
        using var genuine = await PostAsync(config.Port, GitHubPush(a.Remote, "refs/heads/main"), sign: true, delivery);
        await a.WaitForStatusAsync(second, "Synced", Patience);
        await Task.Delay(TimeSpan.FromSeconds(2)); // that pass's own watch events settle
        var passes = Passes(host);

        using var replay = await PostAsync(config.Port, GitHubPush(a.Remote, "refs/heads/main"), sign: true, delivery);
        var padded = GitHubPush(a.Remote, "refs/heads/main")[..^1] + ",\"padding\":\"" + new string('x', HookReceiver.MaxBodyBytes) + "\"}";
        using var oversized = await PostAsync(config.Port, padded, sign: true);
        using var unknown = await PostAsync(config.Port, GitHubPush("https://example.com/org/unknown.git", "refs/heads/main"), sign: true);
        await Task.Delay(TimeSpan.FromSeconds(4)); // absence of a pass can only be observed over a while

        Assert.Equal(HttpStatusCode.Accepted, genuine.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal("delivery already seen\n", await replay.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, oversized.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, unknown.StatusCode);
        Assert.Equal("{\"targets\":[]}\n", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(passes, Passes(host));
    }

    /// <summary>An agent with a GitHub receiver, at Synced on a first commit, its own watch events settled.</summary>
    private async Task<(AgentConfig Config, IHost Host)> StartSyncedAsync(AgentHarness a)
    {
        var secretFile = Path.Combine(Path.GetDirectoryName(a.Remote)!, "hook-secret");
        await File.WriteAllTextAsync(secretFile, Secret + "\n");
        a.Sync.Repo.Write("a.yaml", Yaml.ConfigMap(a.Namespace, "a", ("k", "1"))).Commit("first");
        var first = a.Push();
        var config = a.Config("solo") with { Receivers = [new ReceiverConfig("github", ReceiverType.GitHub, secretFile)] };
        var host = await a.StartAsync(config);
        await a.WaitForStatusAsync(first, "Synced", Patience);
        await Task.Delay(TimeSpan.FromSeconds(2)); // the first pass's own watch events settle
        output.WriteLine($"agent on port {config.Port}");
        return (config, host);
    }

    private static double Passes(IHost host) =>
        AgentHarness.Metrics(host).Render().Split('\n')
            .Where(l => l.StartsWith("gitops_passes_total{", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>A real GitHub push payload (@octokit/webhooks-examples) whose clone URL is the remote's address.</summary>
    private static string GitHubPush(string remote, string reference) =>
        GitOps.TestSupport.Forge.GitHubWebhooks.Push(new Uri(remote).AbsoluteUri, reference, new string('0', 40), new string('1', 40)).ToJsonString();

    private static async Task<HttpResponseMessage> PostAsync(int port, string payload, bool sign, string? delivery = null)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        using var content = new StringContent(payload, Encoding.UTF8, "application/json");
        content.Headers.Add("X-GitHub-Event", "push");
        content.Headers.Add("X-GitHub-Delivery", delivery ?? Guid.NewGuid().ToString());
        var key = sign ? Secret : "not-the-secret";
        content.Headers.Add("X-Hub-Signature-256", HookSignature.Sign(ReceiverType.GitHub, Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(payload)));
        return await http.PostAsync(new Uri("/hooks/github", UriKind.Relative), content);
    }
}
