namespace GitOps.Integration.Tests.Deploy;

/// <summary>The repository's deploy/ folder, found from the test binaries by walking up to GitOps.sln.</summary>
internal static class DeployFolder
{
    public static string Root { get; } = Path.Combine(RepositoryRoot(), "deploy");

    /// <summary>Every manifest below deploy/, both RBAC variants and the Secret template included; paths relative to deploy/.</summary>
    public static IReadOnlyList<string> Manifests() =>
        Directory.EnumerateFiles(Root, "*.yaml", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>A path of the repository itself (example-repo/, …).</summary>
    public static string RepositoryPath(string relative) => Path.Combine(RepositoryRoot(), relative);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GitOps.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds GitOps.sln; the deploy tests run from a checkout.");
    }
}
