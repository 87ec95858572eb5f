using System.CommandLine;
using GitOps.Agent.Git;
using GitOps.Agent.Sync;

namespace GitOps.Agent.Cli;

/// <summary>The flags of <c>sync</c> and <c>diff</c>: where the manifests come from and where they go.</summary>
internal sealed class SourceOptions
{
    public Option<string> Repo { get; } = CliOptions.Repo();

    public Option<string> Branch { get; } = CliOptions.Branch();

    public Option<string> Path { get; } = new("--path") { Description = "Folder of the repository holding the manifests", DefaultValueFactory = _ => "." };

    public Option<string?> Revision { get; } = new("--revision") { Description = "Commit SHA or tag to sync instead of the branch head" };

    public Option<string?> Kubeconfig { get; } = new("--kubeconfig") { Description = "Kubeconfig file (default: $KUBECONFIG, ~/.kube/config, or in-cluster)" };

    public Option<string?> Context { get; } = new("--context") { Description = "Kubeconfig context" };

    public Option<string?> Target { get; } = new("--target") { Description = "Target name (names the inventory and status entries; default: the last folder of --path, or the repository name)" };

    public Option<string> DefaultNamespace { get; } = new("--namespace", "-n") { Description = "Namespace for objects that name none", DefaultValueFactory = _ => "default" };

    public Option<string> InventoryNamespace { get; } = new("--inventory-namespace") { Description = "Namespace of the ApplySet parent (ConfigMap gitops-<target>)", DefaultValueFactory = _ => "default" };

    public Option<bool> Prune { get; } = new("--prune") { Description = "Delete objects the revision no longer holds" };

    public Option<bool> AllowEmpty { get; } = new("--allow-empty") { Description = "Let a revision without objects prune everything" };

    public Option<bool> PruneProtected { get; } = new("--prune-protected-kinds") { Description = "Let Namespaces, CRDs and PersistentVolumeClaims be pruned" };

    public Option<string?> UsernameFile { get; } = new("--username-file") { Description = "File holding the HTTPS username" };

    public Option<string?> TokenFile { get; } = new("--token-file") { Description = "File holding the HTTPS password or token" };

    public Option<string> CacheDir { get; } = new("--cache-dir") { Description = "Where bare clones are kept", DefaultValueFactory = _ => CliOptions.DefaultCacheDir() };

    public Option<string> Output { get; } = CliOptions.Output("text");

    public Option<bool> Stats { get; } = new("--stats") { Description = "Print the API requests the pass made (by verb) to stderr" };

    public Option<int> Parallelism { get; } = new("--parallelism") { Description = "Requests in flight at once within a stage", DefaultValueFactory = _ => new SyncEngineOptions().Parallelism };

    public Option<string?> IgnoreDifferencesFile { get; } = new("--ignore-differences") { Description = "YAML list of fields neither compared nor put back ({group, kind, name, namespace, jsonPointers}, as Argo CD's ignoreDifferences)" };

    public Option<string?> HealthRulesFile { get; } = new("--health-rules") { Description = "YAML file of per-kind health rules (health: [{apiVersion, kind, healthy, degraded}], as in the agent config)" };

    public TenancyOptions Tenancy { get; } = new();

    public Option<string?> HelmRelease { get; } = CliOptions.HelmRelease();

    public Option<string[]> HelmValues { get; } = CliOptions.HelmValues();

    public Option<string[]> HelmRepositories { get; } = HelmRepositoryOption.Create();

    public Option<bool> KustomizeAllowRemote { get; } = CliOptions.KustomizeAllowRemote();

    public RenderToolOptions RenderTools { get; } = new();

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Repo, Branch, Path, Revision, Kubeconfig, Context, Target, DefaultNamespace, InventoryNamespace, Prune, AllowEmpty, PruneProtected, UsernameFile, TokenFile, CacheDir, Output, Stats, Parallelism, IgnoreDifferencesFile, HealthRulesFile, HelmRelease, HelmValues, HelmRepositories, KustomizeAllowRemote })
        {
            command.Options.Add(option);
        }

        foreach (var option in RenderTools.All)
        {
            command.Options.Add(option);
        }

        Tenancy.AddTo(command);
    }

    public GitSourceSpec Spec(ParseResult parse)
    {
        var user = parse.GetValue(UsernameFile);
        var token = parse.GetValue(TokenFile);
        return new GitSourceSpec(parse.GetValue(Repo)!, parse.GetValue(Branch)!, parse.GetValue(Path)!)
        {
            Credentials = user is null && token is null ? null : new GitCredentials(user, token),
        };
    }

    /// <exception cref="FormatException">The --ignore-differences file is unreadable or invalid, or a tenancy flag is wrong (the message names it).</exception>
    public SyncTarget SyncTargetOf(ParseResult parse)
    {
        var path = parse.GetValue(Path)!.Trim('/');
        var source = TargetSource.Of(parse.GetValue(Repo)!, path);
        var fallback = path is "" or "." ? System.IO.Path.GetFileNameWithoutExtension(parse.GetValue(Repo)!.TrimEnd('/')) : System.IO.Path.GetFileName(path);
        return new SyncTarget(
            parse.GetValue(Target) ?? $"{Sanitize(fallback)}-{ShortHash(source)}",
            parse.GetValue(InventoryNamespace)!,
            parse.GetValue(DefaultNamespace)!,
            parse.GetValue(Prune),
            parse.GetValue(AllowEmpty),
            parse.GetValue(PruneProtected))
        {
            Source = source,
            Ignore = parse.GetValue(IgnoreDifferencesFile) is { } file ? IgnoreDifferences.Load(file) : [],
            Confinement = Tenancy.Confinement(parse, parse.GetValue(DefaultNamespace)!),
            ServiceAccount = Tenancy.ServiceAccountOf(parse),
            Adopt = !parse.GetValue(Tenancy.NoAdopt),
            Verify = Tenancy.VerifyOf(parse),
            Render = HelmRepositoryOption.With(CliOptions.RenderSettings(parse, HelmRelease, HelmValues, KustomizeAllowRemote), parse, HelmRepositories),
        };
    }

    /// <summary>Without --target, the name carries a hash of the source: two repositories never share a set by accident.</summary>
    private static string ShortHash(string source) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(source)))[..8];

    private static string Sanitize(string name)
    {
        var chars = name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray();
        var s = new string(chars).Trim('-');
        return s.Length == 0 ? "default" : s;
    }
}
