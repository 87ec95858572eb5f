using System.Collections.Frozen;

namespace GitOps.Diff.Health;

/// <summary>
/// Which kinds have a rule of their own, kept as a table so a new kind is one line here and one
/// file beside it, never another branch in <see cref="HealthAssessor"/>.
/// </summary>
internal static class HealthRules
{
    /// <param name="Assess">Runs after the generic checks found nothing decisive.</param>
    /// <param name="NeedsStatus">
    /// The kind is only healthy once its controller has reported; until a status exists the
    /// object is Progressing whatever the rule would make of the defaults.
    /// </param>
    internal sealed record Rule(Func<StatusReader, HealthResult> Assess, bool NeedsStatus);

    /// <summary>Keyed by (API group, kind); the version does not change what health means.</summary>
    public static readonly FrozenDictionary<(string Group, string Kind), Rule> ByKind =
        new Dictionary<(string Group, string Kind), Rule>
        {
            [("apps", "Deployment")] = new(HealthDeployment.Assess, NeedsStatus: true),
            [("apps", "StatefulSet")] = new(HealthStatefulSet.Assess, NeedsStatus: true),
            [("apps", "DaemonSet")] = new(HealthDaemonSet.Assess, NeedsStatus: true),
            [("apps", "ReplicaSet")] = new(HealthReplicaSet.Assess, NeedsStatus: true),
            [("batch", "Job")] = new(HealthJob.Assess, NeedsStatus: true),
            [("", "Pod")] = new(HealthPod.Assess, NeedsStatus: true),
            [("", "PersistentVolumeClaim")] = new(HealthPersistentVolumeClaim.Assess, NeedsStatus: true),
            // A ClusterIP Service is done when it exists; only a load balancer is waited for.
            [("", "Service")] = new(HealthService.Assess, NeedsStatus: false),
            [("apiextensions.k8s.io", "CustomResourceDefinition")] =
                new(HealthCustomResourceDefinition.Assess, NeedsStatus: true),
            [("networking.k8s.io", "Ingress")] = new(HealthIngress.Assess, NeedsStatus: false),
            [("extensions", "Ingress")] = new(HealthIngress.Assess, NeedsStatus: false),
            [("autoscaling", "HorizontalPodAutoscaler")] = new(HealthHorizontalPodAutoscaler.Assess, NeedsStatus: false),
            [("policy", "PodDisruptionBudget")] = new(HealthPodDisruptionBudget.Assess, NeedsStatus: true),
            [("batch", "CronJob")] = new(HealthCronJob.Assess, NeedsStatus: false),
            [("apiregistration.k8s.io", "APIService")] = new(HealthApiService.Assess, NeedsStatus: false),
        }.ToFrozenDictionary();
}
