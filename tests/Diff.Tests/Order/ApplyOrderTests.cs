using GitOps.Diff.Identity;
using GitOps.Diff.Order;

namespace GitOps.Diff.Tests.Order;

public class ApplyOrderTests
{
    private static readonly ResourceKey[] Revision =
    [
        new("admissionregistration.k8s.io", "ValidatingWebhookConfiguration", null, "policy"),
        new("apps", "Deployment", "web", "frontend"),
        new("", "ConfigMap", "web", "settings"),
        new("", "Service", "web", "frontend"),
        new("rbac.authorization.k8s.io", "ClusterRole", null, "reader"),
        new("example.com", "Widget", "web", "w"),
        new("", "Namespace", null, "web"),
        new("apiextensions.k8s.io", "CustomResourceDefinition", null, "widgets.example.com"),
        new("storage.k8s.io", "StorageClass", null, "fast"),
        new("", "Secret", "web", "credentials"),
        new("admissionregistration.k8s.io", "MutatingWebhookConfiguration", null, "defaults"),
        new("apps", "Deployment", "api", "backend"),
        new("", "ServiceAccount", "web", "runner"),
        new("rbac.authorization.k8s.io", "ClusterRoleBinding", null, "reader"),
    ];

    [Theory]
    [InlineData("apiextensions.k8s.io", "CustomResourceDefinition", ApplyOrder.StageDefinitions)]
    [InlineData("", "Namespace", ApplyOrder.StageDefinitions)]
    [InlineData("rbac.authorization.k8s.io", "ClusterRole", ApplyOrder.StageClusterSetup)]
    [InlineData("rbac.authorization.k8s.io", "ClusterRoleBinding", ApplyOrder.StageClusterSetup)]
    [InlineData("storage.k8s.io", "StorageClass", ApplyOrder.StageClusterSetup)]
    [InlineData("networking.k8s.io", "IngressClass", ApplyOrder.StageClusterSetup)]
    [InlineData("scheduling.k8s.io", "PriorityClass", ApplyOrder.StageClusterSetup)]
    [InlineData("rbac.authorization.k8s.io", "Role", ApplyOrder.StageWorkloads)]
    [InlineData("", "ConfigMap", ApplyOrder.StageWorkloads)]
    [InlineData("apps", "Deployment", ApplyOrder.StageWorkloads)]
    [InlineData("example.com", "Widget", ApplyOrder.StageWorkloads)]
    [InlineData("admissionregistration.k8s.io", "MutatingWebhookConfiguration", ApplyOrder.StageWebhooks)]
    [InlineData("admissionregistration.k8s.io", "ValidatingWebhookConfiguration", ApplyOrder.StageWebhooks)]
    public void Stage_Kind_IsItsStage(string group, string kind, int stage)
    {
        Assert.Equal(stage, ApplyOrder.Stage(new GroupKind(group, kind)));
    }

    [Fact]
    public void Sort_Revision_DefinitionsFirstWebhooksLast()
    {
        var sorted = ApplyOrder.Sort(Revision, k => k);

        Assert.Equal(
            [
                "CustomResourceDefinition/widgets.example.com",
                "Namespace/web",
                "StorageClass/fast",
                "ClusterRole/reader",
                "ClusterRoleBinding/reader",
                "ServiceAccount/web/runner",
                "Secret/web/credentials",
                "ConfigMap/web/settings",
                "Service/web/frontend",
                "Deployment/api/backend",
                "Deployment/web/frontend",
                "Widget/web/w",
                "MutatingWebhookConfiguration/defaults",
                "ValidatingWebhookConfiguration/policy",
            ],
            sorted.Select(k => k.ToString()));
    }

    [Fact]
    public void Sort_AnyInputOrder_SameResult()
    {
        var expected = ApplyOrder.Sort(Revision, k => k);
        var random = new Random(20261126);
        for (var i = 0; i < 50; i++)
        {
            var shuffled = Revision.OrderBy(_ => random.Next()).ToArray();

            Assert.Equal(expected, ApplyOrder.Sort(shuffled, k => k));
        }
    }

    [Fact]
    public void Stages_Revision_GroupsInStageOrder()
    {
        var stages = ApplyOrder.Stages(Revision, k => k);

        Assert.Equal(4, stages.Count);
        Assert.All(stages[0], k => Assert.Equal(ApplyOrder.StageDefinitions, ApplyOrder.Stage(k.GroupKind)));
        Assert.All(stages[1], k => Assert.Equal(ApplyOrder.StageClusterSetup, ApplyOrder.Stage(k.GroupKind)));
        Assert.All(stages[3], k => Assert.StartsWith("admissionregistration", k.Group, StringComparison.Ordinal));
        Assert.Equal(Revision.Length, stages.Sum(s => s.Count));
    }

    [Fact]
    public void Stages_NoWebhooks_OmitsEmptyStages()
    {
        var stages = ApplyOrder.Stages(Revision.Where(k => !k.Kind.EndsWith("WebhookConfiguration", StringComparison.Ordinal)), k => k);

        Assert.Equal(3, stages.Count);
    }

    [Fact]
    public void Comparer_ClusterScopedBeforeNamespacedOfSameKind()
    {
        var cluster = new ResourceKey("example.com", "Widget", null, "z");
        var namespaced = new ResourceKey("example.com", "Widget", "a", "a");

        Assert.True(ApplyOrder.Comparer.Compare(cluster, namespaced) < 0);
        Assert.Equal(0, ApplyOrder.Comparer.Compare(cluster, cluster with { }));
    }
}
