using GitOps.Diff.Confinement;
using GitOps.Diff.Identity;

namespace GitOps.Diff.Tests.Confinement;

public sealed class TargetConfinementTests
{
    private static readonly TargetConfinement TeamA = TargetConfinement.Of(["team-a", "team-a-*"], null);

    [Theory]
    [InlineData("team-a", true)]
    [InlineData("team-a-dev", true)]
    [InlineData("team-ab", false)]
    [InlineData("kube-system", false)]
    [InlineData("default", false)]
    public void Why_NamespacedObject_FollowsTheGlobs(string ns, bool allowed)
    {
        var why = TeamA.Why(new ResourceKey("", "ConfigMap", ns, "c"));

        Assert.Equal(allowed, why is null);
        if (!allowed)
        {
            Assert.Contains($"namespace {ns} is not among", why, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Of_NamespacesListedWithoutClusterScopedKey_RefusesClusterScoped()
    {
        var why = TeamA.Why(new ResourceKey("rbac.authorization.k8s.io", "ClusterRoleBinding", null, "own-the-cluster"));

        Assert.Contains("cluster-scoped ClusterRoleBinding.rbac.authorization.k8s.io is not allowed", why, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_NoKeys_AllowsEverything()
    {
        var none = TargetConfinement.Of(null, null);

        Assert.True(none.IsNone);
        Assert.Empty(none.Check([new("", "ConfigMap", "kube-system", "c"), new("apiregistration.k8s.io", "APIService", null, "v1.evil")]));
    }

    [Fact]
    public void Why_NamespaceObject_NeedsAnAllowedNameAndTheKind()
    {
        var withNamespaces = TargetConfinement.Of(["team-a-*"], ClusterScopePolicy.Only(["Namespace"]));

        Assert.Null(withNamespaces.Why(new ResourceKey("", "Namespace", null, "team-a-dev")));
        Assert.Contains("namespace kube-system is not among", withNamespaces.Why(new ResourceKey("", "Namespace", null, "kube-system")), StringComparison.Ordinal);
        Assert.Contains("cluster-scoped Namespace is not allowed", TeamA.Why(new ResourceKey("", "Namespace", null, "team-a")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ClusterRole", "rbac.authorization.k8s.io", true)]
    [InlineData("ClusterRole.rbac.authorization.k8s.io", "rbac.authorization.k8s.io", true)]
    [InlineData("ClusterRole.rbac.authorization.k8s.io", "evil.example.com", false)]
    [InlineData("ClusterRole", "evil.example.com", true)]
    [InlineData("clusterrole", "rbac.authorization.k8s.io", false)]
    public void Allows_ListedKind_MatchesKindOrKindDotGroup(string listed, string group, bool allowed) =>
        Assert.Equal(allowed, ClusterScopePolicy.Only([listed]).Allows(new GroupKind(group, "ClusterRole")));

    [Fact]
    public void Check_HostileRevision_NamesEveryObjectOutside()
    {
        var keys = new ResourceKey[]
        {
            new("", "ConfigMap", "team-a", "fine"),
            new("", "Secret", "kube-system", "steal"),
            new("admissionregistration.k8s.io", "MutatingWebhookConfiguration", null, "intercept"),
            new("apiextensions.k8s.io", "CustomResourceDefinition", null, "things.evil.io"),
            new("rbac.authorization.k8s.io", "RoleBinding", "team-a", "fine-too"),
        };

        var violations = TeamA.Check(keys);

        Assert.Equal(["Secret/kube-system/steal", "MutatingWebhookConfiguration/intercept", "CustomResourceDefinition/things.evil.io"], violations.Select(v => v.Key.ToString()));
    }

    [Fact]
    public void DefaultNamespaceProblem_DefaultOutside_SaysSo()
    {
        Assert.Null(TeamA.DefaultNamespaceProblem("team-a"));
        Assert.Contains("the default namespace default is not among allowedNamespaces (team-a, team-a-*)", TeamA.DefaultNamespaceProblem("default"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("team-a-*", true)]
    [InlineData("Team-A", false)]
    [InlineData("team_a", false)]
    [InlineData("", false)]
    public void GlobProblem_NotANamespaceGlob_IsNamed(string glob, bool ok) =>
        Assert.Equal(ok, TargetConfinement.GlobProblem(glob) is null);

    [Fact]
    public void Equals_SameListsInOtherInstances_AreEqual() =>
        Assert.Equal(TargetConfinement.Of(["a"], ClusterScopePolicy.Only(["Namespace"])), TargetConfinement.Of(["a"], ClusterScopePolicy.Only(["Namespace"])));

    [Fact]
    public void Confine_DeletionOutside_BecomesASkipThatSaysWhy()
    {
        var inside = new GitOps.Diff.Prune.PruneDecision(new ResourceKey("", "ConfigMap", "team-a", "old"), GitOps.Diff.Prune.PruneVerdict.Delete, "");
        var outside = new GitOps.Diff.Prune.PruneDecision(new ResourceKey("", "ConfigMap", "kube-system", "coredns"), GitOps.Diff.Prune.PruneVerdict.Delete, "");

        var confined = TeamA.Confine([inside, outside]);

        Assert.Equal(GitOps.Diff.Prune.PruneVerdict.Delete, confined[0].Verdict);
        Assert.Equal(GitOps.Diff.Prune.PruneVerdict.Skip, confined[1].Verdict);
        Assert.Contains("outside the target's confinement", confined[1].Reason, StringComparison.Ordinal);
    }
}
