using GitOps.Diff.Drift;

namespace GitOps.Agent.Sync;

/// <summary>
/// One target: a path of a repository kept in sync with the cluster, and its policies.
/// </summary>
/// <param name="Name">Names the ApplySet parent and status entries; unique per cluster.</param>
/// <param name="InventoryNamespace">Where the ApplySet parent (a ConfigMap) lives.</param>
/// <param name="DefaultNamespace">For namespaced objects that name none.</param>
/// <param name="Prune">Delete objects the revision no longer holds (otherwise they are reported).</param>
/// <param name="AllowEmpty">Let a revision that renders no objects prune everything.</param>
/// <param name="PruneProtectedKinds">Let Namespaces, CRDs and PersistentVolumeClaims be pruned.</param>
internal sealed record SyncTarget(
    string Name,
    string InventoryNamespace = "default",
    string DefaultNamespace = "default",
    bool Prune = false,
    bool AllowEmpty = false,
    bool PruneProtectedKinds = false)
{
    public IReadOnlyList<IgnoreRule> Ignore { get; init; } = [];

    /// <summary>
    /// Where the manifests come from (repository without credentials, and path). Recorded on the
    /// ApplySet parent; a pass from another source under the same target name is refused, so two
    /// repositories can never prune each other's objects by sharing a name.
    /// </summary>
    public string? Source { get; init; }

    /// <summary>Kustomize or Helm stated explicitly (otherwise detected from the folder), and Helm's parameters.</summary>
    public GitOps.Agent.Render.RenderSettings Render { get; init; } = GitOps.Agent.Render.RenderSettings.Detect;
}
