using GitOps.Diff.Render;

namespace GitOps.Agent.Render;

/// <summary>Turns a Kustomize folder or a Helm chart into manifest files for the kubectl-exact reader.</summary>
internal interface IRenderer
{
    /// <summary>
    /// The tool's output as files: Helm's split per template (<c>chart/templates/x.yaml (helm template)</c>),
    /// Kustomize's one file (<c>overlay (kustomize build)</c>). A job with the same key as an earlier one
    /// returns the earlier output without running anything.
    /// </summary>
    /// <exception cref="RenderException">The folder cannot be rendered; nothing was produced.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled (the tool is killed).</exception>
    Task<IReadOnlyList<ManifestFile>> RenderAsync(RenderJob job, CancellationToken ct);
}
