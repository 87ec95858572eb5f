using GitOps.Agent.Git;
using GitOps.Agent.Sync;

namespace GitOps.Agent.Hosting;

/// <summary>
/// The agent's configuration file (YAML), as ARCHITECTURE.md defines it:
/// <code>
/// cluster: prod                 # name used in status notes (default: default)
/// namespace: gitops-system      # where inventories and the leader Lease live
/// port: 8080                    # /healthz, /readyz, /metrics
/// bindAddress: 10.0.0.5         # an IP address; absent or * listens on every interface
/// cacheDir: /var/cache/gitops   # bare clones
/// leaseName: gitops-agent     # with shards: the prefix of gitops-agent-shard-<i> and gitops-agent-replica-<identity>
/// leaseDuration: 15s            # at least 3s
/// shards: 3                     # targets split over Leases the replicas share out (see Shards/ShardGate)
/// backoff: {initial: 2s, max: 5m}
/// resyncPeriod: 10m
/// publicUrl: https://gitops.example.com   # the agent's own pages, linked from forge statuses
/// web: {enabled: true, tokenFile: /etc/gitops/web/token}   # the read-only pages (see WebOptions)
/// receivers:                    # webhooks, POST /hooks/&lt;name&gt; (see ReceiverConfig)
/// - {name: github, type: github, secretFile: /etc/gitops/hooks/github-secret}
/// targets:
/// - name: django
///   repository: https://git.example.com/deploy.git
///   branch: main
///   path: prod
///   interval: 1m
///   prune: true
///   allowEmpty: false
///   pruneProtectedKinds: false
///   defaultNamespace: django-demo
///   timeout: 2m                 # health wait per pass
///   credentials: {usernameFile: /etc/gitops/git/username, tokenFile: /etc/gitops/git/token}
///   ignoreDifferences:          # see IgnoreDifferences
///   - {group: apps, kind: Deployment, jsonPointers: [/spec/replicas]}
///   commitStatus:               # see ForgeConfig
///     provider: github          # github | gitlab | gitea (Gitea and Forgejo)
///     url: https://api.github.com
///     repository: owner/name    # GitLab: the project path or its numeric id
///     tokenFile: /etc/gitops/forge/token
///     context: gitops/prod/django   # the default
///   allowedNamespaces: [django-*] # see TenancyConfig
///   allowClusterScoped: false     # true | false | [Namespace, ClusterRole.rbac.authorization.k8s.io]
///   serviceAccount: django-demo/deployer   # every request of the target's passes is made as it
///   verify: {sshAllowedSignersFile: /etc/gitops/keys/allowed_signers}   # or {gpgKeysFile: /etc/gitops/keys/team.asc}
///   adopt: true                 # take objects that exist unmanaged (reported as adopted); false refuses them
/// </code>
/// Credentials are file paths only; a secret inline in the file is refused by design.
/// The defaults below are the only place they are written: the loader starts from them.
/// </summary>
internal sealed record AgentConfig(string Cluster, string Namespace, IReadOnlyList<TargetConfig> Targets)
{
    public const string DefaultCluster = "default";

    public const string DefaultNamespace = "gitops-system";

    /// <summary>Shorter Leases make a renewal missed under load look like a dead leader.</summary>
    public static readonly TimeSpan MinLeaseDuration = TimeSpan.FromSeconds(3);

    /// <summary>A configuration with every default, for <paramref name="targets"/>.</summary>
    public static AgentConfig Default(IReadOnlyList<TargetConfig> targets) => new(DefaultCluster, DefaultNamespace, targets);

    public int Port { get; init; } = 8080;

    /// <summary>Passes at once across all targets (default <see cref="PassPool.DefaultSlots"/>).</summary>
    public int Concurrency { get; init; } = PassPool.DefaultSlots;

    /// <summary>The address the HTTP endpoints listen on; null listens on every interface.</summary>
    public string? BindAddress { get; init; }

    /// <summary>Scheduling of every target's passes (backoff, resync, trigger settling).</summary>
    public WorkerOptions Worker { get; init; } = new();

    /// <summary>Webhook receivers on the agent's port; a push they accept wakes the targets that follow it.</summary>
    public IReadOnlyList<Hooks.ReceiverConfig> Receivers { get; init; } = [];

    public string CacheDir { get; init; } = "/var/cache/gitops";

    /// <summary>Per-kind health rules (<c>health:</c>) before the built-in ones; none by default.</summary>
    public GitOps.Diff.Health.HealthRuleSet HealthRules { get; init; } = GitOps.Diff.Health.HealthRuleSet.Empty;

    /// <summary>Where the agent's pages are reached from outside (<c>target_url</c> of forge statuses); null links nothing.</summary>
    public string? PublicUrl { get; init; }

    /// <summary>The read-only pages and their JSON API on <see cref="Port"/>.</summary>
    public GitOps.Agent.Hosting.Web.WebOptions Web { get; init; } = new();

    /// <summary>The Kustomize and Helm binaries and the timeout of one run (<c>render:</c>; the environment when not set).</summary>
    public GitOps.Agent.Render.RenderOptions Render { get; init; } = GitOps.Agent.Render.RenderOptions.FromEnvironment();

    /// <summary>Lease name for leader election among replicas.</summary>
    public string LeaseName { get; init; } = "gitops-agent";

    /// <summary>How long a leader's Lease holds without renewal: the longest a failover takes.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How many shards the targets are split into (a target's is <c>hash(name) mod shards</c>); each
    /// shard has a Lease, and the live replicas share the shards out. 1 (the default) is one leader
    /// Lease for every target, as without sharding.
    /// </summary>
    public int Shards { get; init; } = 1;

    /// <summary>More shards than this only multiplies Lease renewals.</summary>
    public const int MaxShards = 256;

    /// <summary>This replica's name in the Lease (the Pod name in a cluster).</summary>
    public string Identity { get; init; } = Environment.GetEnvironmentVariable("POD_NAME") ?? $"{Environment.MachineName}-{Environment.ProcessId}";
}

internal sealed record TargetConfig(string Name, string Repository, string Branch = "main", string Path = ".")
{
    /// <summary>Polling a git server more often than this is abuse, not freshness (webhooks are for that).</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(5);

    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(1);

    public bool Prune { get; init; }

    public bool AllowEmpty { get; init; }

    public bool PruneProtectedKinds { get; init; }

    public string DefaultNamespace { get; init; } = "default";

    public TimeSpan? Timeout { get; init; }

    public GitCredentials? Credentials { get; init; }

    /// <summary>Fields neither compared nor put back (Argo CD's <c>ignoreDifferences</c> shape).</summary>
    public IReadOnlyList<GitOps.Diff.Drift.IgnoreRule> IgnoreDifferences { get; init; } = [];

    /// <summary>Where this target's commits get forge statuses; null posts none.</summary>
    public GitOps.Agent.Sync.Forge.CommitStatusConfig? CommitStatus { get; init; }

    /// <summary>Targets whose current revision must be Synced and Healthy before this one applies a new revision.</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    /// <summary>Where the target may write (see TenancyConfig); by default anywhere.</summary>
    public GitOps.Diff.Confinement.TargetConfinement Confinement { get; init; } = GitOps.Diff.Confinement.TargetConfinement.None;

    /// <summary><c>NAMESPACE/NAME</c>: the ServiceAccount the target's passes impersonate; null uses the agent's own account.</summary>
    public string? ServiceAccount { get; init; }

    /// <summary>Take objects that exist without being members (reported as adopted); false refuses them (default true).</summary>
    public bool Adopt { get; init; } = true;

    /// <summary>The keys every synced commit must be signed by; null accepts unsigned commits.</summary>
    public VerifyConfig? Verify { get; init; }

    /// <summary>Kustomize or Helm stated (<c>kustomize: {}</c>, <c>helm: {…}</c>), or detected from the folder.</summary>
    public GitOps.Agent.Render.RenderSettings Render { get; init; } = GitOps.Agent.Render.RenderSettings.Detect;

    public GitSourceSpec Source => new(Repository, Branch, Path) { Credentials = Credentials };

    public SyncTarget SyncTarget(string inventoryNamespace) =>
        new(Name, inventoryNamespace, DefaultNamespace, Prune, AllowEmpty, PruneProtectedKinds)
        {
            Source = TargetSource.Of(Repository, Path.Trim('/')),
            Ignore = IgnoreDifferences,
            Confinement = Confinement,
            ServiceAccount = ServiceAccount,
            Adopt = Adopt,
            Verify = Verify,
            Render = Render,
        };
}
