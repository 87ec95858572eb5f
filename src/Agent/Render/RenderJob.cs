using System.Text.Json.Nodes;
using GitOps.Agent.Git;

namespace GitOps.Agent.Render;

/// <summary>Helm's parameters of a target (agent config <c>helm:</c>, CLI <c>--helm-release</c>/<c>--helm-values</c>).</summary>
/// <param name="ReleaseName">The release name; null means the target's name.</param>
/// <param name="ValuesFiles">Values files relative to the chart folder, in order; each must resolve inside the repository.</param>
/// <param name="Values">Inline values, applied after the files.</param>
internal sealed record HelmSettings(string? ReleaseName, IReadOnlyList<string> ValuesFiles, JsonObject? Values)
{
    public static HelmSettings None { get; } = new(null, [], null);

    /// <summary>Chart repositories that dependencies not vendored under <c>charts/</c> may come from (<see cref="HelmDependencies"/>).</summary>
    public IReadOnlyList<ChartRepository> Repositories { get; init; } = [];
}

/// <summary>Kustomize's parameters of a target (agent config <c>kustomize:</c>, CLI <c>--kustomize-allow-remote</c>).</summary>
/// <param name="AllowRemoteResources">Remote bases and files (git URLs, HTTP) may be loaded, over the network; off by default.</param>
internal sealed record KustomizeSettings(bool AllowRemoteResources)
{
    public static KustomizeSettings None { get; } = new(false);
}

/// <summary>What a target says about rendering: an explicit kind (null: detect) and Helm's parameters.</summary>
internal sealed record RenderSettings(SourceKind? Kind, HelmSettings Helm)
{
    public static RenderSettings Detect { get; } = new(null, HelmSettings.None);

    public KustomizeSettings Kustomize { get; init; } = KustomizeSettings.None;
}

/// <summary>The cluster as Helm's <c>.Capabilities</c> sees it; <see cref="Offline"/> leaves Helm's defaults.</summary>
/// <param name="KubeVersion">The server's git version (<c>v1.20.2</c>), or null.</param>
/// <param name="ApiVersions">Every group/version the server serves.</param>
internal sealed record Capabilities(string? KubeVersion, IReadOnlyList<string> ApiVersions)
{
    public static Capabilities Offline { get; } = new(null, []);

    public string Key => $"{KubeVersion}|{string.Join(',', ApiVersions)}";
}

/// <summary>One folder to render.</summary>
/// <param name="Target">The target's name (errors name it; Helm's default release name).</param>
/// <param name="Kind">Kustomize or Helm.</param>
/// <param name="Path">The folder from the repository root ("" for the root).</param>
/// <param name="TreeKey">Identifies the repository content (a root tree id); null disables the cache.</param>
/// <param name="Export">Writes the repository into an empty folder.</param>
internal sealed record RenderJob(string Target, SourceKind Kind, string Path, string? TreeKey, Func<string, CancellationToken, Task> Export)
{
    public HelmSettings Helm { get; init; } = HelmSettings.None;

    public KustomizeSettings Kustomize { get; init; } = KustomizeSettings.None;

    /// <summary>
    /// The ids of repository paths in the job's commit, as one string (<see cref="IGitSource.FingerprintAsync"/>):
    /// lets the cache hit at another commit whose loaded paths are unchanged. Null: keyed by <see cref="TreeKey"/> only.
    /// </summary>
    public Func<IReadOnlyList<string>, CancellationToken, Task<string?>>? Fingerprint { get; init; }

    /// <summary>The release namespace (the target's default namespace).</summary>
    public string Namespace { get; init; } = "default";

    public Capabilities Capabilities { get; init; } = Capabilities.Offline;
}
