using System.Text.Json.Nodes;
using GitOps.Agent.Git;
using GitOps.Agent.Render;

namespace GitOps.Agent.Hosting;

/// <summary>
/// A target's <c>kustomize: {allowRemoteResources}</c> or <c>helm: {releaseName, valuesFiles, values, repositories}</c>:
/// the kind stated instead of detected, and the tool's parameters. Both at once is an error. And the
/// agent's top-level <c>render:</c> (the tools' paths and timeout).
/// </summary>
internal static class RenderConfig
{
    /// <summary>
    /// The top-level <c>render: {helm: PATH, kustomize: PATH, timeout: 90s}</c>: where the tools are
    /// and how long one run may take. A key left out falls back to <c>GITOPS_HELM</c>,
    /// <c>GITOPS_KUSTOMIZE</c>, <c>GITOPS_RENDER_TIMEOUT</c> (<see cref="RenderOptions.FromEnvironment"/>).
    /// </summary>
    public static RenderOptions Tools(ConfigNode top)
    {
        var fallback = RenderOptions.FromEnvironment();
        if (top.Mapping("render") is not { } render)
        {
            return fallback;
        }

        var options = fallback with
        {
            HelmPath = ToolPath(render, "helm") ?? fallback.HelmPath,
            KustomizePath = ToolPath(render, "kustomize") ?? fallback.KustomizePath,
            Timeout = render.Duration("timeout", TimeSpan.FromSeconds(1)) ?? fallback.Timeout,
        };
        render.Finish();
        return options;
    }

    /// <summary>A binary's path, or a bare name looked up on PATH; a path that names no file is an error now, not at the first render.</summary>
    private static string? ToolPath(ConfigNode render, string key)
    {
        var path = render.String(key);
        if (path is null)
        {
            return null;
        }

        if (path.Trim().Length == 0)
        {
            render.Error(key, "must name a binary (a path, or a name looked up on PATH)");
        }
        else if (path.Contains('/', StringComparison.Ordinal) && !File.Exists(path))
        {
            render.Error(key, $"no file at '{path}'");
        }

        return path;
    }

    public static RenderSettings Read(ConfigNode target)
    {
        var kustomize = target.Mapping("kustomize");
        var allowRemote = kustomize?.Bool("allowRemoteResources") ?? false;
        kustomize?.Finish();
        var helm = target.Mapping("helm");
        if (kustomize is not null && helm is not null)
        {
            target.Error("helm", "a target is either kustomize or helm, not both");
        }

        if (helm is null)
        {
            return kustomize is null ? RenderSettings.Detect : new RenderSettings(SourceKind.Kustomize, HelmSettings.None) { Kustomize = new KustomizeSettings(allowRemote) };
        }

        var values = helm.Node("values");
        if (values is not null and not JsonObject)
        {
            helm.Error("values", "must be a mapping of Helm values");
        }

        var settings = new HelmSettings(helm.String("releaseName"), helm.Strings("valuesFiles") ?? [], values?.DeepClone() as JsonObject)
        {
            Repositories = ChartRepositoryConfig.Read(helm), // chart repositories (ChartRepositoryConfig.cs)
        };
        foreach (var file in settings.ValuesFiles.Where(f => f.StartsWith('/')))
        {
            helm.Error("valuesFiles", $"'{file}' must be relative to the chart folder (and inside the repository)");
        }

        helm.Finish();
        return new RenderSettings(SourceKind.Helm, settings);
    }
}
