using System.Text.Json.Nodes;
using GitOps.Agent.Git;
using GitOps.Agent.Render;

namespace GitOps.Agent.Hosting;

/// <summary>
/// A target's <c>kustomize: {}</c> or <c>helm: {releaseName, valuesFiles, values, repositories}</c>: the kind
/// stated instead of detected, and Helm's parameters. Both at once is an error.
/// </summary>
internal static class RenderConfig
{
    public static RenderSettings Read(ConfigNode target)
    {
        var kustomize = target.Mapping("kustomize");
        kustomize?.Finish();
        var helm = target.Mapping("helm");
        if (kustomize is not null && helm is not null)
        {
            target.Error("helm", "a target is either kustomize or helm, not both");
        }

        if (helm is null)
        {
            return kustomize is null ? RenderSettings.Detect : new RenderSettings(SourceKind.Kustomize, HelmSettings.None);
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
