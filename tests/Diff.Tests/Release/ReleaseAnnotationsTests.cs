using System.Text.Json.Nodes;
using GitOps.Diff.Release;

namespace GitOps.Diff.Tests.Release;

public class ReleaseAnnotationsTests
{
    private static JsonObject With(params (string Key, string Value)[] annotations)
    {
        var a = new JsonObject();
        foreach (var (k, v) in annotations)
        {
            a[k] = v;
        }

        return new JsonObject { ["apiVersion"] = "batch/v1", ["kind"] = "Job", ["metadata"] = new JsonObject { ["name"] = "migrate", ["annotations"] = a } };
    }

    [Fact]
    public void Read_NoAnnotations_MemberInWaveZero()
    {
        var role = ReleaseAnnotations.Read(new JsonObject { ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "x" } });

        Assert.False(role.IsHook);
        Assert.Equal(0, role.Wave);
    }

    [Theory]
    [InlineData("gitops.dev/sync-wave", "-2", -2)]
    [InlineData("gitops.dev/sync-wave", " 7 ", 7)]
    [InlineData("argocd.argoproj.io/sync-wave", "+3", 3)]
    [InlineData("helm.sh/hook-weight", "-5", -5)]
    public void Read_WaveAnnotation_ParsesWave(string annotation, string value, int expected)
    {
        Assert.Equal(expected, ReleaseAnnotations.Read(With((annotation, value))).Wave);
    }

    [Fact]
    public void Read_OursAndArgoWave_OursWins()
    {
        var role = ReleaseAnnotations.Read(With(("argocd.argoproj.io/sync-wave", "5"), ("gitops.dev/sync-wave", "1"), ("helm.sh/hook-weight", "9")));

        Assert.Equal(1, role.Wave);
    }

    [Theory]
    [InlineData("gitops.dev/sync-wave", "one")]
    [InlineData("gitops.dev/sync-wave", "1.5")]
    [InlineData("gitops.dev/hook", "presync")]
    [InlineData("gitops.dev/hook", "1")]
    [InlineData("gitops.dev/hook", "")]
    [InlineData("argocd.argoproj.io/hook", "PostDelete")]
    [InlineData("helm.sh/hook", "pre-instal")]
    public void Read_UnreadableValue_ThrowsNamingAnnotation(string annotation, string value)
    {
        var ex = Assert.Throws<FormatException>(() => ReleaseAnnotations.Read(With((annotation, value))));

        Assert.Contains(annotation, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_HookWithoutPolicy_DefaultsToBeforeHookCreation()
    {
        var role = ReleaseAnnotations.Read(With(("gitops.dev/hook", "PreSync")));

        Assert.True(role.IsHook);
        Assert.Equal([HookPhase.PreSync], role.Hooks);
        Assert.Equal([HookDeletePolicy.BeforeHookCreation], role.DeletePolicies);
        Assert.False(role.DeleteAfter(succeeded: true));
    }

    [Fact]
    public void Read_SeveralPhasesAndPolicies_ReadsAll()
    {
        var role = ReleaseAnnotations.Read(With(("gitops.dev/hook", "PreSync, PostSync"), ("gitops.dev/hook-delete-policy", "HookSucceeded,HookFailed")));

        Assert.Equal([HookPhase.PreSync, HookPhase.PostSync], role.Hooks);
        Assert.True(role.DeleteAfter(succeeded: true));
        Assert.True(role.DeleteAfter(succeeded: false));
        Assert.DoesNotContain(HookDeletePolicy.BeforeHookCreation, role.DeletePolicies);
    }

    [Theory]
    [InlineData("pre-install", HookPhase.PreSync)]
    [InlineData("pre-upgrade", HookPhase.PreSync)]
    [InlineData("post-install", HookPhase.PostSync)]
    [InlineData("post-upgrade", HookPhase.PostSync)]
    public void Read_HelmHook_MapsToPhase(string helm, HookPhase expected)
    {
        Assert.Equal([expected], ReleaseAnnotations.Read(With(("helm.sh/hook", helm))).Hooks);
    }

    [Fact]
    public void Read_HelmInstallAndUpgrade_OnePhase()
    {
        var role = ReleaseAnnotations.Read(With(("helm.sh/hook", "pre-install,pre-upgrade"), ("helm.sh/hook-delete-policy", "hook-succeeded"), ("helm.sh/hook-weight", "-1")));

        Assert.Equal([HookPhase.PreSync], role.Hooks);
        Assert.Equal([HookDeletePolicy.HookSucceeded], role.DeletePolicies);
        Assert.Equal(-1, role.Wave);
    }

    [Theory]
    [InlineData("helm.sh/hook", "test")]
    [InlineData("helm.sh/hook", "pre-delete,post-delete")]
    [InlineData("argocd.argoproj.io/hook", "Skip")]
    public void Read_HookASyncNeverSees_Skipped(string annotation, string value)
    {
        var role = ReleaseAnnotations.Read(With((annotation, value)));

        Assert.True(role.Skipped);
        Assert.True(role.IsHook);
        Assert.Empty(role.Hooks);
    }

    [Fact]
    public void Read_ArgoAndHelmHooks_ArgoReplacesHelm()
    {
        var role = ReleaseAnnotations.Read(With(("helm.sh/hook", "post-install"), ("argocd.argoproj.io/hook", "Sync"), ("argocd.argoproj.io/hook-delete-policy", "HookFailed")));

        Assert.Equal([HookPhase.Sync], role.Hooks);
        Assert.Equal([HookDeletePolicy.HookFailed], role.DeletePolicies);
    }

    [Fact]
    public void Read_OursAndArgoHooks_OursWin()
    {
        var role = ReleaseAnnotations.Read(With(("argocd.argoproj.io/hook", "PostSync"), ("gitops.dev/hook", "PreSync"), ("argocd.argoproj.io/hook-delete-policy", "HookFailed"), ("gitops.dev/hook-delete-policy", "HookSucceeded")));

        Assert.Equal([HookPhase.PreSync], role.Hooks);
        Assert.Equal([HookDeletePolicy.HookSucceeded], role.DeletePolicies);
    }

    [Fact]
    public void Read_HelmPolicyUnknown_Throws()
    {
        var ex = Assert.Throws<FormatException>(() => ReleaseAnnotations.Read(With(("helm.sh/hook", "pre-install"), ("helm.sh/hook-delete-policy", "HookSucceeded"))));

        Assert.Contains("helm.sh/hook-delete-policy", ex.Message, StringComparison.Ordinal);
    }
}
