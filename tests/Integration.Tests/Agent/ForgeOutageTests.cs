using GitOps.Agent.Sync.Forge;
using GitOps.TestSupport.Forge;
using Xunit.Abstractions;

namespace GitOps.Integration.Tests.Agent;

/// <summary>
/// A forge that answers 500, or 429 for longer than a status may wait, never fails a sync: the
/// commit is still applied and its note says Synced, the failure is counted under stage "forge",
/// and once the forge answers again the next commit gets its status.
/// </summary>
public sealed class ForgeOutageTests(ClusterFixture cluster, ITestOutputHelper output) : IClassFixture<ClusterFixture>
{
    [Theory]
    [InlineData(500, null)]
    [InlineData(429, "3600")]
    public async Task Pass_ForgeDownOrRateLimited_StillSyncsCountsTheFailureAndPostsOnceBack(int status, string? retryAfter)
    {
        await using var forge = await FakeForge.StartAsync(ForgeProvider.GitHub);
        forge.Always = new ForgeAnswer("*", status, """{"message":"forge unavailable"}""", retryAfter is null ? null : new Dictionary<string, string> { ["Retry-After"] = retryAfter });
        await using var a = new AgentHarness(cluster, $"forge-{status}");
        var token = Path.Combine(Path.GetDirectoryName(a.Remote)!, "forge-token");
        await File.WriteAllTextAsync(token, "forge-token-outage\n");
        var config = a.Config("solo");
        config = config with { Targets = [config.Targets[0] with { CommitStatus = new CommitStatusConfig(ForgeProvider.GitHub, new Uri(forge.Url), "org/deploy", token) }] };
        a.Sync.Repo.Write("a.yaml", Yaml.ConfigMap(a.Namespace, "a", ("k", "1"))).Commit("first");
        var first = a.Push();
        var host = await a.StartAsync(config);

        await a.WaitForStatusAsync(first, "Synced", TimeSpan.FromSeconds(60));
        var errors = await AgentHarness.EventuallyAsync(() => Task.FromResult(ForgeErrors(host) > 0 ? (object)ForgeErrors(host) : null), TimeSpan.FromSeconds(30), "a counted forge failure");
        var whileDown = forge.Requests.Count;
        Assert.Empty(forge.Posts); // the listing failed first, so nothing was posted blind
        forge.Always = null;
        a.Sync.Repo.Write("a.yaml", Yaml.ConfigMap(a.Namespace, "a", ("k", "2"))).Commit("second");
        var second = a.Push();
        await a.WaitForStatusAsync(second, "Synced", TimeSpan.FromSeconds(60));
        await AgentHarness.EventuallyAsync(() => Task.FromResult(forge.Posts.FirstOrDefault(p => p.Path.EndsWith(second, StringComparison.Ordinal) && p.Field("state") == "success")), TimeSpan.FromSeconds(30), "a success status once the forge is back");

        output.WriteLine($"forge answering {status}: {errors} forge failures counted; requests while down: {whileDown}");
        Assert.Equal("2", (string?)(await a.Sync.ConfigMapAsync("a"))!["data"]!["k"]);
    }

    private static double ForgeErrors(Microsoft.Extensions.Hosting.IHost host) =>
        AgentHarness.Metrics(host).Render().Split('\n')
            .Where(l => l.StartsWith("gitops_errors_total{", StringComparison.Ordinal) && l.Contains("stage=\"forge\"", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
}
