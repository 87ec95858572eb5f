using GitOps.Agent.Git;

namespace GitOps.Agent.Sync;

/// <summary>What a target syncs, as recorded on its ApplySet parent (see <see cref="SyncTarget.Source"/>).</summary>
internal static class TargetSource
{
    /// <summary>Repository (credentials removed, local paths made absolute) and path: what a target syncs.</summary>
    public static string Of(string repository, string path)
    {
        var repo = repository.Contains("://", StringComparison.Ordinal) || repository.Contains('@', StringComparison.Ordinal)
            ? UrlRedactor.Redact(repository)
            : System.IO.Path.GetFullPath(repository);
        return $"{repo.TrimEnd('/')}#{(path is "" ? "." : path)}";
    }
}
