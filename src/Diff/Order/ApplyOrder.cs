using GitOps.Diff.Identity;

namespace GitOps.Diff.Order;

/// <summary>
/// The order objects are applied in, kept as data. Stages run one after another (the next one
/// may depend on what the previous made: a CRD before its resources, a Namespace before its
/// objects, webhooks last so they cannot reject the rest of the revision); inside a stage the
/// agent applies in parallel, and the order below only makes output deterministic.
/// Pruning walks the same order backwards.
/// </summary>
public static class ApplyOrder
{
    public const int StageDefinitions = 0;
    public const int StageClusterSetup = 1;
    public const int StageWorkloads = 2;
    public const int StageWebhooks = 3;

    private static readonly Dictionary<GroupKind, int> StageOfKind = new()
    {
        [new("apiextensions.k8s.io", "CustomResourceDefinition")] = StageDefinitions,
        [new("", "Namespace")] = StageDefinitions,
        [new("rbac.authorization.k8s.io", "ClusterRole")] = StageClusterSetup,
        [new("rbac.authorization.k8s.io", "ClusterRoleBinding")] = StageClusterSetup,
        [new("admissionregistration.k8s.io", "MutatingWebhookConfiguration")] = StageWebhooks,
        [new("admissionregistration.k8s.io", "ValidatingWebhookConfiguration")] = StageWebhooks,
    };

    /// <summary>Inside a stage: what others refer to comes first (the order Helm installs in).</summary>
    private static readonly string[] KindRank =
    [
        "PriorityClass", "StorageClass", "IngressClass", "RuntimeClass",
        "ResourceQuota", "LimitRange", "PodSecurityPolicy", "PodDisruptionBudget",
        "ServiceAccount", "Secret", "ConfigMap", "PersistentVolume", "PersistentVolumeClaim",
        "Role", "RoleBinding", "Service", "DaemonSet", "Pod", "ReplicaSet", "Deployment",
        "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "Ingress", "NetworkPolicy", "APIService",
    ];

    public static int Stage(GroupKind gk) =>
        StageOfKind.TryGetValue(gk, out var stage) ? stage
        : gk.Kind.EndsWith("Class", StringComparison.Ordinal) ? StageClusterSetup
        : StageWorkloads;

    /// <summary>Orders keys for applying: by stage, then kind rank, kind, namespace, name.</summary>
    public static IComparer<ResourceKey> Comparer { get; } = Comparer<ResourceKey>.Create(Compare);

    public static IReadOnlyList<T> Sort<T>(IEnumerable<T> items, Func<T, ResourceKey> key) =>
        items.OrderBy(key, Comparer).ToList();

    /// <summary>Groups into stages, in apply order.</summary>
    public static IReadOnlyList<IReadOnlyList<T>> Stages<T>(IEnumerable<T> items, Func<T, ResourceKey> key) =>
        Sort(items, key).GroupBy(i => Stage(key(i).GroupKind)).OrderBy(g => g.Key).Select(g => (IReadOnlyList<T>)g.ToList()).ToList();

    private static int Compare(ResourceKey? a, ResourceKey? b)
    {
        if (a is null || b is null)
        {
            return a is null ? (b is null ? 0 : -1) : 1;
        }

        var c = Stage(a.GroupKind).CompareTo(Stage(b.GroupKind));
        c = c != 0 ? c : Rank(a.Kind).CompareTo(Rank(b.Kind));
        c = c != 0 ? c : string.CompareOrdinal(a.Kind, b.Kind);
        c = c != 0 ? c : string.CompareOrdinal(a.Group, b.Group);
        c = c != 0 ? c : string.CompareOrdinal(a.Namespace, b.Namespace);
        return c != 0 ? c : string.CompareOrdinal(a.Name, b.Name);
    }

    private static int Rank(string kind)
    {
        var i = Array.IndexOf(KindRank, kind);
        return i < 0 ? KindRank.Length : i;
    }
}
