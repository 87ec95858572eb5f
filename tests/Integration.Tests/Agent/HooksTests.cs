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

    /// <summary>The fields of GitHub's push payload the receiver reads, with the remote's address as its clone URL.</summary>
    private static string GitHubPush(string remote, string reference) => System.Text.Json.JsonSerializer.Serialize(new
    {
        @ref = reference,
        before = new string('0', 40),
        repository = new { full_name = "org/deploy", clone_url = new Uri(remote).AbsoluteUri, ssh_url = "git@example.com:org/deploy.git", html_url = "https://example.com/org/deploy" },
    });

    private static async Task<HttpResponseMessage> PostAsync(int port, string payload, bool sign)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        using var content = new StringContent(payload, Encoding.UTF8, "application/json");
        content.Headers.Add("X-GitHub-Event", "push");
        content.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        var key = sign ? Secret : "not-the-secret";
        content.Headers.Add("X-Hub-Signature-256", HookSignature.Sign(ReceiverType.GitHub, Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(payload)));
        return await http.PostAsync(new Uri("/hooks/github", UriKind.Relative), content);
    }
}
