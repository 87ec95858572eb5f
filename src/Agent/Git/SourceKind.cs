namespace GitOps.Agent.Git;

/// <summary>How a target's folder becomes manifests.</summary>
public enum SourceKind
{
    /// <summary>A folder of plain manifests, read in-process.</summary>
    Plain,

    /// <summary>A Kustomize folder (<c>kustomization.yaml</c>, <c>kustomization.yml</c> or <c>Kustomization</c>), built by the tool.</summary>
    Kustomize,

    /// <summary>A Helm chart (<c>Chart.yaml</c>), rendered by <c>helm template</c>.</summary>
    Helm,
}

/// <summary>A folder a tool must render, instead of files to read.</summary>
/// <param name="Kind">What was detected in the folder.</param>
/// <param name="Path">The folder, from the repository root ("" for the root).</param>
/// <param name="TreeKey">
/// The id of the commit's root tree: everything a tool can load, so equal keys render equally.
/// The render cache also hits across trees when the paths a build loaded are unchanged
/// (<see cref="IGitSource.FingerprintAsync"/>); this key is the shortcut and the fallback.
/// </param>
public sealed record RenderSource(SourceKind Kind, string Path, string TreeKey);

/// <summary>Which folder is which kind: the names the tools themselves look for.</summary>
public static class SourceKinds
{
    /// <summary>The file names <c>kustomize build</c> accepts, in its order of preference.</summary>
    public static readonly IReadOnlyList<string> KustomizationFiles = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

    public const string ChartFile = "Chart.yaml";

    /// <summary>Kustomize wins over Helm when both are present, as Argo CD decides.</summary>
    public static SourceKind Detect(Func<string, bool> hasFile) =>
        KustomizationFiles.Any(hasFile) ? SourceKind.Kustomize
        : hasFile(ChartFile) ? SourceKind.Helm
        : SourceKind.Plain;
}
