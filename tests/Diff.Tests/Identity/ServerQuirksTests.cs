using System.Text.Json.Nodes;
using GitOps.Diff.Identity;

namespace GitOps.Diff.Tests.Identity;

public class ServerQuirksTests
{
    [Fact]
    public void Normalize_ServicePortWithoutProtocol_GetsTcp()
    {
        var svc = Parse("""{"spec":{"ports":[{"port":80},{"port":53,"protocol":"UDP"}]}}""");

        ServerQuirks.Normalize("", "Service", svc);

        Assert.Equal("TCP", (string?)svc["spec"]!["ports"]![0]!["protocol"]);
        Assert.Equal("UDP", (string?)svc["spec"]!["ports"]![1]!["protocol"]);
    }

    [Theory]
    [InlineData("apps", "Deployment")]
    [InlineData("apps", "StatefulSet")]
    [InlineData("batch", "Job")]
    public void Normalize_PodTemplateContainerPortWithoutProtocol_GetsTcp(string group, string kind)
    {
        var obj = Parse("""{"spec":{"template":{"spec":{"containers":[{"name":"web","ports":[{"containerPort":8000}]}],"initContainers":[{"name":"init","ports":[{"containerPort":9}]}]}}}}""");

        ServerQuirks.Normalize(group, kind, obj);

        Assert.Equal("TCP", (string?)obj["spec"]!["template"]!["spec"]!["containers"]![0]!["ports"]![0]!["protocol"]);
        Assert.Equal("TCP", (string?)obj["spec"]!["template"]!["spec"]!["initContainers"]![0]!["ports"]![0]!["protocol"]);
    }

    [Fact]
    public void Normalize_SecretStringData_BecomesBase64Data()
    {
        var secret = Parse("""{"data":{"a":"YQ=="},"stringData":{"b":"hello"}}""");

        ServerQuirks.Normalize("", "Secret", secret);

        Assert.False(secret.ContainsKey("stringData"));
        Assert.Equal("aGVsbG8=", (string?)secret["data"]!["b"]);
        Assert.Equal("YQ==", (string?)secret["data"]!["a"]);
    }

    [Fact]
    public void Normalize_OtherKinds_AreUntouched()
    {
        var cm = Parse("""{"data":{"ports":"80"},"spec":{"ports":[{"port":80}]}}""");
        var before = cm.ToJsonString();

        ServerQuirks.Normalize("", "ConfigMap", cm);

        Assert.Equal(before, cm.ToJsonString());
    }

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
