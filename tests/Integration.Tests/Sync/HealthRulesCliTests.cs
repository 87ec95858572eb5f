using System.Text.Json.Nodes;

namespace GitOps.Integration.Tests.Sync;

/// <summary>
/// <c>gitops sync --health-rules FILE</c>: the agent config's per-kind rules (its <c>health:</c>
/// section, read by the same reader) judge the CLI's health wait too, on the real server.
/// </summary>
public sealed class HealthRulesCliTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Sync_HealthRulesFile_IngressNobodyServesIsHealthyByTheRule()
    {
        await using var cli = new GitOpsCli(cluster, "cli-rules");
        cli.Work.Write("ns.yaml", Yaml.Namespace(cli.Namespace)).Write("web.yaml", HealthKindsTests.Ingress(cli.Namespace, "web", noAddress: true));
        cli.CommitAndPush("an Ingress whose controller never writes an address");
        var rules = Path.Combine(Path.GetTempPath(), $"{cli.Namespace}-rules.yaml");
        File.WriteAllText(rules, """
            health:
            - apiVersion: networking.k8s.io/v1
              kind: Ingress
              healthy: spec.rules
            """);
        try
        {
            var without = cli.Run(cli.SyncArgs("json", null, "--timeout", "3s"));
            var with = cli.Run(cli.SyncArgs("json", null, "--timeout", "30s", "--health-rules", rules));

            Assert.True(without.ExitCode == 1, $"exit {without.ExitCode}: {without.Stdout}{without.Stderr}");
            Assert.Equal("Progressing", (string?)JsonNode.Parse(without.Stdout)!["health"]);
            Assert.True(with.ExitCode == 0, $"exit {with.ExitCode}: {with.Stdout}{with.Stderr}");
            var result = JsonNode.Parse(with.Stdout)!;
            Assert.Equal(("Synced", "Healthy"), ((string?)result["phase"], (string?)result["health"]));
        }
        finally
        {
            File.Delete(rules);
        }
    }

    [Fact]
    public async Task Sync_InvalidHealthRulesFile_ExitsTwoNamingTheRuleAndWritesNothing()
    {
        await using var cli = new GitOpsCli(cluster, "cli-badrules");
        cli.Work.Write("ns.yaml", Yaml.Namespace(cli.Namespace));
        cli.CommitAndPush("a namespace");
        var rules = Path.Combine(Path.GetTempPath(), $"{cli.Namespace}-rules.yaml");
        File.WriteAllText(rules, """
            - apiVersion: networking.k8s.io/v1
              kind: Ingress
              healthy: "spec.rules[?"
              colour: blue
            """);
        try
        {
            var run = cli.Run(cli.SyncArgs("text", null, "--health-rules", rules));

            Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}: {run.Stdout}{run.Stderr}");
            Assert.Contains("health[0]", run.Stderr, StringComparison.Ordinal);
            Assert.Contains("health[0].colour", run.Stderr, StringComparison.Ordinal);
            Assert.Null(await cli.GetAsync($"/api/v1/namespaces/{cli.Namespace}"));
        }
        finally
        {
            File.Delete(rules);
        }
    }
}
