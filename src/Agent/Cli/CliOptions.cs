using System.CommandLine;

namespace GitOps.Agent.Cli;

/// <summary>Options shared by several verbs, defined once so they read the same everywhere.</summary>
internal static class CliOptions
{
    public static Option<string> Output(string defaultFormat) => new("--output", "-o")
    {
        Description = "Output format",
        DefaultValueFactory = _ => defaultFormat,
    };

    public static Option<string> Repo() => new("--repo") { Description = "Git repository: URL (https://, ssh://, file://) or local path", Required = true };

    public static Option<string> Branch(bool required = true) => new("--branch") { Description = "Branch (or tag) to follow", Required = required, DefaultValueFactory = _ => "main" };

    public static Option<string?> HelmRelease() => new("--helm-release") { Description = "Helm release name of a chart folder (default: the target name)" };

    public static Option<string[]> HelmValues() => new("--helm-values") { Description = "Helm values file, relative to --path and inside the repository (repeatable, applied in order)", AllowMultipleArgumentsPerToken = false };

    public static Option<bool> KustomizeAllowRemote() => new("--kustomize-allow-remote") { Description = "Let a kustomization load remote bases and files (git URLs, HTTP) over the network; refused by default" };

    /// <summary>What the render flags say: Helm's release and values files, Kustomize's remote resources (the kind is detected from the folder).</summary>
    public static Render.RenderSettings RenderSettings(ParseResult parse, Option<string?> release, Option<string[]> values, Option<bool> allowRemote) =>
        new(null, new Render.HelmSettings(parse.GetValue(release), parse.GetValue(values) ?? [], null)) { Kustomize = new Render.KustomizeSettings(parse.GetValue(allowRemote)) };

    public static string DefaultCacheDir() =>
        Environment.GetEnvironmentVariable("GITOPS_CACHE_DIR")
        ?? Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "gitops");
}
