using GitOps.Diff.Render;

namespace GitOps.Agent.Sync;

/// <summary>What a pass needs to start: the target, the revision and its files.</summary>
internal sealed record SyncRequest(SyncTarget Target, string Revision, IReadOnlyList<ManifestFile> Files)
{
    /// <summary>Plan only (gitops diff, sync --dry-run): nothing is written.</summary>
    public bool DryRun { get; init; }

    /// <summary>Wait this long for every object to become Healthy; null judges health once.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Cancelled when a newer commit is waiting: a health wait in progress ends at once.</summary>
    public CancellationToken Preempt { get; init; }

    /// <summary>
    /// Called once the revision is validated and before its first write, when the pass will write:
    /// the moment a status "Progressing" is true (the cluster answered, and work is about to start).
    /// </summary>
    public Func<CancellationToken, Task>? Applying { get; init; }

    /// <summary>A Kustomize folder or Helm chart to render into <see cref="Files"/> first (null: the files are the manifests).</summary>
    public Render.RenderJob? Render { get; init; }

    /// <summary>
    /// The target's inventory, already being read (<see cref="SyncEngine.ReadInventoryAsync"/>, started
    /// while git was read: for a CLI run that request also opens the connection); null: the pass reads it.
    /// </summary>
    public Task<ApplySetInventory>? InventoryRead { get; init; }
}

/// <summary>Tuning of the engine, with defaults that suit a small cluster and a large one.</summary>
internal sealed record SyncEngineOptions
{
    /// <summary>Requests in flight at once within a stage (default 8).</summary>
    public int Parallelism { get; init; } = 8;

    /// <summary>How long a CRD may take to become Established, or a recreated object to be gone (default 60s).</summary>
    public TimeSpan EstablishTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often CRD establishment and deletions for recreation are checked (default 200ms).</summary>
    public TimeSpan EstablishPollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How often objects not Healthy yet are read again during a health wait (default 1s).</summary>
    public TimeSpan HealthPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How inventories are stored (see <see cref="InventoryOptions"/> for the defaults).</summary>
    public InventoryOptions Inventory { get; init; } = new();

    /// <summary>Per-kind health rules of the agent config, tried before the built-in ones (default: none).</summary>
    public GitOps.Diff.Health.HealthRuleSet HealthRules { get; init; } = GitOps.Diff.Health.HealthRuleSet.Empty;

    /// <summary>
    /// How long waves and hooks may take in all when the pass has no timeout of its own (default 5 min):
    /// a wave gate or a hook always waits, where a plain health check judges once.
    /// </summary>
    public TimeSpan ReleaseTimeout { get; init; } = TimeSpan.FromMinutes(5);
}
