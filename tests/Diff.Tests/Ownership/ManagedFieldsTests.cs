using System.Text.Json.Nodes;
using GitOps.Diff.Ownership;

namespace GitOps.Diff.Tests.Ownership;

public class ManagedFieldsTests
{
    private const string Deployment = """
        {"apiVersion":"apps/v1","kind":"Deployment",
         "metadata":{"name":"web","annotations":{"deployment.kubernetes.io/revision":"3"},
           "managedFields":[
             {"manager":"gitops-agent","operation":"Apply","fieldsV1":{"f:spec":{"f:replicas":{},"f:template":{"f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{".":{},"f:image":{},"f:name":{}}}}}}}},
             {"manager":"kube-controller-manager","operation":"Update","fieldsV1":{"f:metadata":{"f:annotations":{"f:deployment.kubernetes.io/revision":{}}},"f:status":{}}}]},
         "spec":{"replicas":2,"template":{"spec":{"containers":[{"name":"web","image":"web:1","resources":{}},{"name":"sidecar","image":"proxy:1"}]}}},
         "status":{"readyReplicas":1}}
        """;

    [Fact]
    public void Project_OwnedFieldSet_KeepsExactlyTheOwnedValues()
    {
        var obj = Parse(Deployment);

        var projected = ManagedFields.Project(obj, ManagedFields.Owned(obj, "gitops-agent")!);

        var expected = Parse("""{"spec":{"replicas":2,"template":{"spec":{"containers":[{"name":"web","image":"web:1"}]}}}}""");
        Assert.True(GitOps.Diff.Json.JsonEquality.Equal(expected, projected), projected!.ToJsonString());
    }

    [Fact]
    public void OwnedHash_ControllerWritesOtherFields_DoesNotChange()
    {
        var before = Parse(Deployment);
        var after = Parse(Deployment);
        after["status"]!["readyReplicas"] = 2;
        after["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"] = "4";
        after["spec"]!["template"]!["spec"]!["containers"]![1]!["image"] = "proxy:2";

        Assert.Equal(ManagedFields.OwnedHash(before, "gitops-agent"), ManagedFields.OwnedHash(after, "gitops-agent"));
    }

    [Fact]
    public void OwnedHash_OwnedValueEdited_Changes()
    {
        var before = Parse(Deployment);
        var after = Parse(Deployment);
        after["spec"]!["replicas"] = 5;

        Assert.NotEqual(ManagedFields.OwnedHash(before, "gitops-agent"), ManagedFields.OwnedHash(after, "gitops-agent"));
    }

    [Fact]
    public void OwnedHash_NoEntryForManager_IsEmpty()
    {
        Assert.Equal(string.Empty, ManagedFields.OwnedHash(Parse(Deployment), "someone-else"));
    }

    [Fact]
    public void Union_TwoFieldSets_HoldsBoth()
    {
        var a = Parse("""{"f:data":{"f:a":{}}}""");
        var b = Parse("""{"f:data":{"f:b":{}},"f:metadata":{"f:labels":{}}}""");

        Assert.Equal("""{"f:data":{"f:a":{},"f:b":{}},"f:metadata":{"f:labels":{}}}""", ManagedFields.Union(a, b).ToJsonString());
    }

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
