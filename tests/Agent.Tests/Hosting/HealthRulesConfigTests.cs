using System.Text.Json.Nodes;
using GitOps.Agent.Hosting;
using GitOps.Diff.Health;

namespace GitOps.Agent.Tests.Hosting;

/// <summary>The config's <c>health:</c> list: rules bind by group and kind, and bad ones are refused at start, named.</summary>
public sealed class HealthRulesConfigTests
{
    private const string Minimal = "targets:\n- name: app\n  repository: https://git.example.com/deploy.git\n";

    [Fact]
    public void Parse_IngressRule_ReplacesTheBuiltInRuleForThatKind()
    {
        var config = AgentConfigLoader.Parse("agent.yaml", """
            health:
            - apiVersion: networking.k8s.io/v1
              kind: Ingress
              healthy: spec.rules
            """ + "\n" + Minimal);
        var ingress = JsonNode.Parse("""{"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "web"}, "spec": {"rules": [{"host": "a"}]}}""")!.AsObject();

        Assert.Equal(1, config.HealthRules.Count);
        Assert.Equal(HealthStatus.Progressing, HealthAssessor.Assess(ingress).Status);
        Assert.Equal(HealthStatus.Healthy, HealthAssessor.Assess(ingress, config.HealthRules).Status);
    }

    [Fact]
    public void Parse_NoHealthKey_NoRules()
    {
        Assert.Same(HealthRuleSet.Empty, AgentConfigLoader.Parse("agent.yaml", Minimal).HealthRules);
    }

    [Fact]
    public void Parse_BadRules_ReportsEachWithItsEntry()
    {
        var error = Assert.Throws<AgentConfigException>(() => AgentConfigLoader.Parse("agent.yaml", """
            health:
            - apiVersion: apps/v1
              kind: Deployment
              healthy: "status.[["
            - kind: Service
              healthy: spec
            - apiVersion: v1
              kind: Pod
            - apiVersion: batch/v1
              kind: Job
              healthy: status.succeeded
              wait: true
            """ + "\n" + Minimal));

        Assert.Contains(error.Errors, e => e.StartsWith("health[0]: health rule for Deployment.apps: healthy is not a JMESPath expression", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("health[1].apiVersion", StringComparison.Ordinal));
        Assert.Contains("health[2]: health rule for Pod: give healthy, degraded or both", error.Errors);
        Assert.Contains(error.Errors, e => e.StartsWith("health[3].wait", StringComparison.Ordinal));
    }
}
