using GitOps.Agent.Git;
using GitOps.Agent.Sync;

namespace GitOps.Agent.Hosting;

/// <summary>
/// The agent's configuration file (YAML), as ARCHITECTURE.md defines it:
/// <code>
/// cluster: prod                 # name used in status notes
/// namespace: gitops-system      # where inventories and the leader Lease live
/// port: 8080                    # /healthz, /readyz, /metrics
/// cacheDir: /var/cache/gitops   # bare clones
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
/// </code>
/// Credentials are file paths only; a secret inline in the file is refused by design.
/// </summary>
internal sealed record AgentConfig(string Cluster, string Namespace, IReadOnlyList<TargetConfig> Targets)
{
    public int Port { get; init; } = 8080;

    /// <summary>The address the HTTP endpoints listen on; null listens on every interface.</summary>
    public string? BindAddress { get; init; }

    /// <summary>Scheduling of every target's passes (backoff, resync, trigger settling).</summary>
    public WorkerOptions Worker { get; init; } = new();

    public string CacheDir { get; init; } = "/var/cache/gitops";

    /// <summary>Lease name for leader election among replicas.</summary>
    public string LeaseName { get; init; } = "gitops-agent";

    /// <summary>How long a leader's Lease holds without renewal: the longest a failover takes.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>This replica's name in the Lease (the Pod name in a cluster).</summary>
    public string Identity { get; init; } = Environment.GetEnvironmentVariable("POD_NAME") ?? $"{Environment.MachineName}-{Environment.ProcessId}";
}

internal sealed record TargetConfig(string Name, string Repository, string Branch, string Path)
{
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(1);

    public bool Prune { get; init; }

    public bool AllowEmpty { get; init; }

    public bool PruneProtectedKinds { get; init; }

    public string DefaultNamespace { get; init; } = "default";

    public TimeSpan? Timeout { get; init; }

    public GitCredentials? Credentials { get; init; }

    /// <summary>Fields neither compared nor put back (Argo CD's <c>ignoreDifferences</c> shape).</summary>
    public IReadOnlyList<GitOps.Diff.Drift.IgnoreRule> IgnoreDifferences { get; init; } = [];

    public GitSourceSpec Source => new(Repository, Branch, Path) { Credentials = Credentials };

    public SyncTarget SyncTarget(string inventoryNamespace) =>
        new(Name, inventoryNamespace, DefaultNamespace, Prune, AllowEmpty, PruneProtectedKinds)
        {
            Source = TargetSource.Of(Repository, Path.Trim('/')),
            Ignore = IgnoreDifferences,
        };
}
