using System.Text;
using GitOps.Agent.Kube.Live;
using GitOps.Diff.Identity;

namespace GitOps.Agent.Tests.Kube;

/// <summary>The shared watch's index: objects grouped by ApplySet id, moved when relabelled, and what a relist changed.</summary>
public sealed class LabelIndexTests
{
    private static readonly ResourceKey A1 = new(string.Empty, "ConfigMap", "ns", "a1");
    private static readonly ResourceKey A2 = new(string.Empty, "ConfigMap", "ns", "a2");
    private static readonly ResourceKey B1 = new(string.Empty, "ConfigMap", "ns", "b1");

    [Fact]
    public void Set_Relabelled_MovesTheObjectToItsNewGroup()
    {
        var index = new LabelIndex();
        index.Set(A1, "a", Json("1"));
        index.Set(A2, "a", Json("2"));

        index.Set(A2, "b", Json("3"));

        Assert.Equal([A1], index.Group("a").Select(g => g.Key));
        Assert.Equal([A2], index.Group("b").Select(g => g.Key));
        Assert.Equal(("b", "3"), (index.Get(A2)!.Value.Value, Encoding.UTF8.GetString(index.Get(A2)!.Value.Json)));
        Assert.Equal(2, index.Count);
    }

    [Fact]
    public void Remove_LastOfAGroup_LeavesNothingBehind()
    {
        var index = new LabelIndex();
        index.Set(A1, "a", Json("1"));

        index.Remove(A1);
        index.Remove(B1); // absent: nothing happens

        Assert.Empty(index.Group("a"));
        Assert.Null(index.Get(A1));
        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void ChangedGroups_NamesTheGroupsWithAnObjectAddedRemovedOrChanged()
    {
        var before = new LabelIndex();
        before.Set(A1, "a", Json("1"));
        before.Set(B1, "b", Json("1"));
        before.Set(new ResourceKey(string.Empty, "ConfigMap", "ns", "c1"), "c", Json("1"));
        var after = new LabelIndex();
        after.Set(A1, "a", Json("2")); // changed
        after.Set(B1, "b", Json("1")); // same
        after.Set(new ResourceKey(string.Empty, "ConfigMap", "ns", "d1"), "d", Json("1")); // c removed, d added

        Assert.Equal(["a", "c", "d"], before.ChangedGroups(after).Order(StringComparer.Ordinal));
    }

    private static byte[] Json(string value) => Encoding.UTF8.GetBytes(value);
}
