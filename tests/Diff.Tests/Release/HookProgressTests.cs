using System.Text.Json.Nodes;
using GitOps.Diff.Release;

namespace GitOps.Diff.Tests.Release;

public class HookProgressTests
{
    [Theory]
    [InlineData("""{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"m"},"status":{"startTime":"2026-01-01T00:00:00Z","active":1}}""", HookState.Running)]
    [InlineData("""{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"m"},"status":{"conditions":[{"type":"Complete","status":"True"}]}}""", HookState.Succeeded)]
    [InlineData("""{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"m"},"status":{"conditions":[{"type":"Failed","status":"True","reason":"BackoffLimitExceeded","message":"Job has reached the specified backoff limit"}]}}""", HookState.Failed)]
    [InlineData("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"status":{"phase":"Running"}}""", HookState.Running)]
    [InlineData("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"status":{"phase":"Succeeded"}}""", HookState.Succeeded)]
    [InlineData("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}""", HookState.Succeeded)]
    public void Of_Object_State(string json, HookState expected)
    {
        Assert.Equal(expected, HookProgress.Of(JsonNode.Parse(json)!.AsObject()).State);
    }

    [Fact]
    public void Of_FailedJob_ReasonNamesConditionReason()
    {
        var job = JsonNode.Parse("""{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"m"},"status":{"conditions":[{"type":"Failed","status":"True","reason":"BackoffLimitExceeded"}]}}""")!.AsObject();

        Assert.Contains("BackoffLimitExceeded", HookProgress.Of(job).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Termination_FailedContainerAmongSeveral_NamesTheFailedOne()
    {
        var pod = JsonNode.Parse("""
            {"status":{"phase":"Failed","containerStatuses":[
              {"name":"sidecar","state":{"terminated":{"reason":"Completed","exitCode":0}}},
              {"name":"migrate","state":{"terminated":{"reason":"Error","exitCode":3}}}]}}
            """)!.AsObject();

        Assert.Equal("container migrate: Error, exit code 3", HookProgress.Termination(pod));
    }
}
