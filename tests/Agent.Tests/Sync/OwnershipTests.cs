using System.Text.Json.Nodes;
using GitOps.Agent.Sync;

namespace GitOps.Agent.Tests.Sync;

/// <summary>Which managed-fields entries the agent takes over: what a human applied, never kubectl's imperative helpers.</summary>
public class OwnershipTests
{
    [Theory]
    [InlineData("kubectl-client-side-apply", null, true)]
    [InlineData("kubectl-create", null, true)]
    [InlineData("kubectl-edit", null, true)]
    [InlineData("kubectl-patch", null, true)]
    [InlineData("kubectl", null, true)]
    [InlineData("before-first-apply", null, true)]
    [InlineData("kubectl-rollout", null, false)]
    [InlineData("kubectl-scale", null, false)]
    [InlineData("kubectl-label", null, false)]
    [InlineData("kubectl", "scale", false)]
    [InlineData("kube-controller-manager", null, false)]
    [InlineData("gitops-agent", null, false)]
    public void IsForeign_Entry_MatchesOnlyHandAppliedManagers(string manager, string? subresource, bool expected)
    {
        var entry = new JsonObject { ["manager"] = manager, ["operation"] = "Update", ["fieldsV1"] = new JsonObject() };
        if (subresource is not null)
        {
            entry["subresource"] = subresource;
        }

        Assert.Equal(expected, Ownership.IsForeign(entry));
    }

    [Fact]
    public void NeedsTakeOver_OnlyControllerAndOurEntries_IsFalse()
    {
        var live = JsonNode.Parse("""
            {"metadata":{"managedFields":[
              {"manager":"gitops-agent","operation":"Apply","fieldsV1":{}},
              {"manager":"kube-controller-manager","operation":"Update","fieldsV1":{}}]}}
            """)!.AsObject();

        Assert.False(Ownership.NeedsTakeOver(live));
        Assert.False(Ownership.NeedsTakeOver(null));
    }
}
