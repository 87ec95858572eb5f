using System.Text.Json.Nodes;
using GitOps.Diff.Identity;
using GitOps.Diff.Release;

namespace GitOps.Diff.Tests.Release;

public class HookClaimsTests
{
    private static readonly ResourceKey Key = new("batch", "Job", "web", "migrate");

    private static JsonObject Live(params (string Key, string Value)[] labels)
    {
        var l = new JsonObject();
        foreach (var (k, v) in labels)
        {
            l[k] = v;
        }

        return new JsonObject { ["kind"] = "Job", ["metadata"] = new JsonObject { ["name"] = "migrate", ["namespace"] = "web", ["labels"] = l } };
    }

    [Fact]
    public void Judge_NothingThere_Create()
    {
        Assert.Equal(HookClaimVerdict.Create, HookClaims.Judge(Key, null, "applyset-a", adopt: false).Verdict);
    }

    [Fact]
    public void Judge_OwnHookOfAnEarlierRun_Replace()
    {
        var claim = HookClaims.Judge(Key, Live((HookClaims.HookOfLabel, "applyset-a")), "applyset-a", adopt: false);

        Assert.Equal(HookClaimVerdict.Replace, claim.Verdict);
        Assert.Null(claim.Reason);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Judge_MemberOfAnotherApplySet_RefusedNamingTheObjectAndTheSet(bool adopt)
    {
        var claim = HookClaims.Judge(Key, Live((ManifestValidator.PartOfLabel, "applyset-b")), "applyset-a", adopt);

        Assert.Equal(HookClaimVerdict.Refuse, claim.Verdict);
        Assert.Equal("hook Job/web/migrate: exists and is a member of ApplySet applyset-b; a hook replaces the object of its name, so it must not be named like a member: rename the hook", claim.Reason);
    }

    [Fact]
    public void Judge_OwnMemberTurnedIntoAHook_Replace()
    {
        Assert.Equal(HookClaimVerdict.Replace, HookClaims.Judge(Key, Live((ManifestValidator.PartOfLabel, "applyset-a")), "applyset-a", adopt: false).Verdict);
    }

    [Fact]
    public void Judge_AnotherSetsHook_Refused()
    {
        var claim = HookClaims.Judge(Key, Live((HookClaims.HookOfLabel, "applyset-b")), "applyset-a", adopt: true);

        Assert.Equal(HookClaimVerdict.Refuse, claim.Verdict);
        Assert.Contains("hook of another ApplySet (applyset-b)", claim.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_UnmanagedAndAdopts_Replace()
    {
        Assert.Equal(HookClaimVerdict.Replace, HookClaims.Judge(Key, Live(("app", "web")), "applyset-a", adopt: true).Verdict);
    }

    [Fact]
    public void Judge_UnmanagedWithoutLabelsAndAdoptFalse_Refused()
    {
        var live = new JsonObject { ["kind"] = "Job", ["metadata"] = new JsonObject { ["name"] = "migrate" } };

        var claim = HookClaims.Judge(Key, live, "applyset-a", adopt: false);

        Assert.Equal(HookClaimVerdict.Refuse, claim.Verdict);
        Assert.Contains("hook Job/web/migrate: exists and is not managed by this target; the target does not adopt (adopt: false)", claim.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_EmptyLabelValues_TreatedAsUnmanaged()
    {
        var live = Live((ManifestValidator.PartOfLabel, string.Empty), (HookClaims.HookOfLabel, string.Empty));

        Assert.Equal(HookClaimVerdict.Replace, HookClaims.Judge(Key, live, "applyset-a", adopt: true).Verdict);
    }
}
