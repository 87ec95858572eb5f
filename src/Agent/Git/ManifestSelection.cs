namespace GitOps.Agent.Git;

/// <summary>
/// Which files of a folder are manifests: the one rule <c>gitops sync</c> (from a commit's tree)
/// and <c>gitops render</c> (from a folder on disk) share. kubectl matches extensions
/// case-sensitively (<c>.yaml</c>, <c>.yml</c>, <c>.json</c>); so do we, so all three read the same files.
/// </summary>
internal static class ManifestSelection
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    public static bool IsManifest(string name) => Extensions.Any(e => name.EndsWith(e, StringComparison.Ordinal));
}
