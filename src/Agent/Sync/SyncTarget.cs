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

    /// <summary>Where the target may write (allowedNamespaces, allowClusterScoped); by default anywhere.</summary>
    public Diff.Confinement.TargetConfinement Confinement { get; init; } = Diff.Confinement.TargetConfinement.None;

    /// <summary>
    /// <c>NAMESPACE/NAME</c> of the ServiceAccount whose rights the target's passes use (impersonation);
    /// null uses the agent's own. The inventory is kept by the agent's own account either way.
    /// </summary>
    public string? ServiceAccount { get; init; }

    /// <summary>
    /// Take objects that exist without being members (made by kubectl, by hand) and report them as
    /// adopted; false refuses a revision naming such an object. Default true, as kubectl apply does.
    /// </summary>
    public bool Adopt { get; init; } = true;

    /// <summary>The keys a commit must be signed by before it is rendered; null accepts unsigned commits.</summary>
    public Git.VerifyConfig? Verify { get; init; }

    /// <summary>Kustomize or Helm stated explicitly (otherwise detected from the folder), and Helm's parameters.</summary>
    public GitOps.Agent.Render.RenderSettings Render { get; init; } = GitOps.Agent.Render.RenderSettings.Detect;
}
