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

    public static string DefaultCacheDir() =>
        Environment.GetEnvironmentVariable("GITOPS_CACHE_DIR")
        ?? Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "gitops");
}
