using System.Text.Json.Nodes;
using GitOps.Diff.Health;

namespace GitOps.Diff.Tests.Health;

/// <summary>What the fixtures cannot express: numbers as other producers build them, and purity.</summary>
public class HealthAssessorTests
{
    private static JsonObject Deployment(JsonNode replicas) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["spec"] = new JsonObject { ["replicas"] = replicas.DeepClone(), ["progressDeadlineSeconds"] = 600 },
        ["status"] = new JsonObject
        {
            ["replicas"] = replicas.DeepClone(),
            ["updatedReplicas"] = replicas.DeepClone(),
            ["readyReplicas"] = replicas.DeepClone(),
            ["availableReplicas"] = replicas.DeepClone(),
            ["conditions"] = new JsonArray(
                new JsonObject { ["type"] = "Available", ["status"] = "True" },
                new JsonObject { ["type"] = "Progressing", ["status"] = "True", ["reason"] = "NewReplicaSetAvailable" }),
        },
    };

    public static TheoryData<JsonNode> TwoAsBuiltByDifferentProducers() => new()
    {
        JsonValue.Create(2),
        JsonValue.Create(2L),
        JsonValue.Create(2.0),
        JsonNode.Parse("2")!,
        JsonNode.Parse("2.0")!,
        JsonNode.Parse("2e0")!,
    };

    [Theory]
    [MemberData(nameof(TwoAsBuiltByDifferentProducers))]
    public void Assess_IntegerInAnyRepresentation_ReadsAsInteger(JsonNode two)
    {
        var result = HealthAssessor.Assess(Deployment(two));

        Assert.Equal(new HealthResult(HealthStatus.Healthy, "Deployment: 2 of 2 replicas available"), result);
    }

    [Fact]
    public void Assess_FractionalCount_Unknown()
    {
        var result = HealthAssessor.Assess(Deployment(JsonValue.Create(1.5)));

        Assert.Equal(new HealthResult(HealthStatus.Unknown, "Deployment: cannot judge health: spec.replicas is not an integer"), result);
    }

    [Fact]
    public void Assess_StatusNotAnObject_Unknown()
    {
        var live = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["status"] = "Running" };

        var result = HealthAssessor.Assess(live);

        Assert.Equal(HealthStatus.Unknown, result.Status);
    }

    [Fact]
    public void Assess_ObjectWithoutKind_NamedObjectAndJudgedGenerically()
    {
        var result = HealthAssessor.Assess([]);

        Assert.Equal(new HealthResult(HealthStatus.Healthy, "object: no readiness signal, assumed healthy"), result);
    }

    [Fact]
    public void Assess_AnyObject_LeavesInputUnchanged()
    {
        var live = Deployment(JsonValue.Create(2));
        var before = live.ToJsonString();

        HealthAssessor.Assess(live);

        Assert.Equal(before, live.ToJsonString());
    }
}
