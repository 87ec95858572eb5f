namespace GitOps.Agent.Git;

/// <summary>
/// What lives where in a cache folder (the CLI's <c>--cache-dir</c>, the agent's <c>cacheDir</c>),
/// in one place so every command and the agent share clones instead of cloning twice.
/// </summary>
internal static class CacheLayout
{
    /// <summary>The bare clones, one folder per repository (see <see cref="RepositoryLocation.CacheKey"/>).</summary>
    public static string Repositories(string cacheDir) => Path.Combine(cacheDir, "repos");
}
