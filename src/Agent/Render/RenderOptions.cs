using GitOps.Diff.Render;

namespace GitOps.Agent.Render;

/// <summary>
/// How Kustomize and Helm are run. <see cref="FromEnvironment"/> holds the documented defaults:
/// <c>GITOPS_KUSTOMIZE</c> (a <c>kustomize</c> binary, or a <c>kubectl</c> whose built-in
/// <c>kubectl kustomize</c> is used; default <c>kubectl</c> on PATH), <c>GITOPS_HELM</c> (default
/// <c>/var/cache/gitops-tools/helm-v4.1.4/helm</c> when present, else <c>helm</c> on PATH),
/// <c>GITOPS_RENDER_TIMEOUT</c> in seconds (default 90).
/// </summary>
internal sealed record RenderOptions
{
    /// <summary>Where eng/test-deps.sh installs helm.</summary>
    public const string WellKnownHelm = "/var/cache/gitops-tools/helm-v4.1.4/helm";

    public static RenderOptions FromEnvironment()
    {
        var helm = Environment.GetEnvironmentVariable("GITOPS_HELM") is { Length: > 0 } h ? h : File.Exists(WellKnownHelm) ? WellKnownHelm : "helm";
        var kustomize = Environment.GetEnvironmentVariable("GITOPS_KUSTOMIZE") is { Length: > 0 } k ? k : "kubectl";
        var timeout = int.TryParse(Environment.GetEnvironmentVariable("GITOPS_RENDER_TIMEOUT"), out var s) && s > 0 ? TimeSpan.FromSeconds(s) : TimeSpan.FromSeconds(90);
        return new RenderOptions { HelmPath = helm, KustomizePath = kustomize, Timeout = timeout };
    }

    /// <summary>A <c>kustomize</c> binary, or <c>kubectl</c> (then <c>kubectl kustomize</c>); a bare name is looked up on PATH.</summary>
    public string KustomizePath { get; init; } = "kubectl";

    /// <summary>The <c>helm</c> binary; a bare name is looked up on PATH.</summary>
    public string HelmPath { get; init; } = "helm";

    /// <summary>One tool run may take this long, then it and its children are killed (default 90 s).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Most bytes a tool may print (default: a revision's budget, <see cref="RenderLimits.MaxRevisionBytes"/>).</summary>
    public long MaxOutputBytes { get; init; } = RenderLimits.Default.MaxRevisionBytes;

    /// <summary>Rendered output kept for passes at an unchanged tree, all entries together (default 64 MiB).</summary>
    public long CacheBytes { get; init; } = 64L << 20;
}
