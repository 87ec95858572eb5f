using System.Text.Json.Nodes;
using GitOps.Diff.Health;

namespace GitOps.Diff.Tests.Health;

public class HealthRuleSetTests
{
    // Traefik never writes an Ingress address: a rule says routes are enough.
    private static readonly HealthRuleSet IngressByRules = HealthRuleSet.Compile(
        [new HealthRule("networking.k8s.io", "Ingress", Healthy: "spec.rules", Degraded: "metadata.annotations.\"example.com/broken\" == 'true'")]);

    private static JsonObject Ingress(string annotations = "{}", string rules = "[{\"host\": \"a.example.com\"}]") => JsonNode.Parse(
        "{\"apiVersion\": \"networking.k8s.io/v1\", \"kind\": \"Ingress\", \"metadata\": {\"name\": \"web\", \"namespace\": \"shop\", \"annotations\": "
        + annotations + "}, \"spec\": {\"rules\": " + rules + "}, \"status\": {\"loadBalancer\": {}}}")!.AsObject();

    [Fact]
    public void Assess_RuleHolds_HealthyInsteadOfTheBuiltInRule()
    {
        Assert.Equal(HealthStatus.Progressing, HealthAssessor.Assess(Ingress()).Status);

        var result = HealthAssessor.Assess(Ingress(), IngressByRules);

        Assert.Equal(new HealthResult(HealthStatus.Healthy, "Ingress: healthy by the configured rule: spec.rules"), result);
    }

    [Fact]
    public void Assess_DegradedExpressionHolds_DegradedEvenWhenHealthyHoldsToo()
    {
        var result = HealthAssessor.Assess(Ingress(annotations: "{\"example.com/broken\": \"true\"}"), IngressByRules);

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("example.com/broken", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_NeitherHolds_ProgressingNamingTheExpression()
    {
        // An empty list is false in JMESPath, like null, "" and {}.
        var result = HealthAssessor.Assess(Ingress(rules: "[]"), IngressByRules);

        Assert.Equal(new HealthResult(HealthStatus.Progressing, "Ingress: waiting for the configured rule: spec.rules"), result);
    }

    [Fact]
    public void Assess_OtherKind_BuiltInRuleStillApplies()
    {
        var job = JsonNode.Parse("""{"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"}, "status": {"conditions": [{"type": "Complete", "status": "True"}], "succeeded": 1}}""")!.AsObject();

        Assert.Equal(HealthAssessor.Assess(job), HealthAssessor.Assess(job, IngressByRules));
    }

    [Fact]
    public void Assess_Terminating_GenericCheckBeforeTheRule()
    {
        var live = Ingress();
        live["metadata"]!["deletionTimestamp"] = "2026-12-03T10:00:00Z";

        Assert.Equal(new HealthResult(HealthStatus.Progressing, "Ingress: terminating"), HealthAssessor.Assess(live, IngressByRules));
    }

    [Fact]
    public void Assess_ExpressionFailsAtRunTime_UnknownWithTheError()
    {
        var rules = HealthRuleSet.Compile([new HealthRule("networking.k8s.io", "Ingress", Healthy: "length(spec.rules[0].host) > `0` && abs(spec.rules)", Degraded: null)]);

        var result = HealthAssessor.Assess(Ingress(), rules);

        Assert.Equal(HealthStatus.Unknown, result.Status);
        Assert.Contains("the configured rule failed", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_SyntaxError_NamesTheKindAndField()
    {
        var error = Assert.Throws<ArgumentException>(() => HealthRuleSet.Compile([new HealthRule("apps", "Deployment", Healthy: "status.[[", Degraded: null)]));

        Assert.StartsWith("health rule for Deployment.apps: healthy is not a JMESPath expression", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_NoExpressionOrTwiceTheSameKind_Refused()
    {
        Assert.Contains("give healthy, degraded or both", Assert.Throws<ArgumentException>(() => HealthRuleSet.Compile([new HealthRule("", "Service", null, null)])).Message, StringComparison.Ordinal);
        Assert.Contains("given twice", Assert.Throws<ArgumentException>(() => HealthRuleSet.Compile(
            [new HealthRule("", "Service", "spec", null), new HealthRule("", "Service", null, "spec")])).Message, StringComparison.Ordinal);
    }
}
