namespace GitOps.Agent.Git;

/// <summary>Reads the manifests of a target at a commit.</summary>
public interface IGitSource
{
    /// <summary>
    /// Resolves <paramref name="revision"/> (or, when null, <see cref="GitSourceSpec.Reference"/>) on
    /// the remote, brings the local copy up to date when needed, and returns the manifest files under
    /// <see cref="GitSourceSpec.Path"/> at that commit.
    /// </summary>
    /// <exception cref="GitSourceException">
    /// The remote could not be reached or refused the credentials; the reference or path does not
    /// exist; the path holds a symlink or submodule; a size or count budget was exceeded.
    /// The message never contains credentials.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    Task<SourceRevision> GetRevisionAsync(GitSourceSpec spec, string? revision, CancellationToken ct);

    /// <summary>
    /// The manifests of <see cref="GitSourceSpec.Reference"/> at <paramref name="head"/>, the commit an
    /// ls-remote of it just returned: a source that keeps a local copy need not ask the remote again.
    /// By default, the same as <see cref="GetRevisionAsync"/> of the reference.
    /// </summary>
    /// <exception cref="GitSourceException">As <see cref="GetRevisionAsync"/>.</exception>
    Task<SourceRevision> GetRevisionAtAsync(GitSourceSpec spec, string head, CancellationToken ct) => GetRevisionAsync(spec, null, ct);

    /// <summary>
    /// The commit <see cref="GitSourceSpec.Reference"/> points to on the remote right now (one
    /// ls-remote, nothing fetched), or null when the remote has no such reference: the cheap way to
    /// learn that a new commit is waiting.
    /// </summary>
    /// <exception cref="GitSourceException">The remote could not be reached or refused the credentials.</exception>
    Task<string?> HeadAsync(GitSourceSpec spec, CancellationToken ct);

    /// <summary>
    /// Writes the whole tree of <paramref name="commitSha"/> into <paramref name="destination"/>
    /// (an empty folder) for a tool to read: symlinks that stay inside the repository are
    /// written as what they point to; ones that leave it, and submodules, are refused under
    /// <see cref="GitSourceSpec.Path"/> and left out elsewhere. The same budgets as a read.
    /// </summary>
    /// <exception cref="GitSourceException">The commit is unknown, a refused entry, or a budget exceeded.</exception>
    Task ExportAsync(GitSourceSpec spec, string commitSha, string destination, CancellationToken ct) =>
        throw new NotSupportedException($"{GetType().Name} cannot export trees");

    /// <summary>
    /// The ids of <paramref name="paths"/> (from the repository root) in <paramref name="commitSha"/>,
    /// as one string: equal for two commits exactly when those paths hold the same content there
    /// (conservatively: the whole tree when a path is missing or involves a symlink). Null when the
    /// source cannot tell; the render cache then keys by the commit's whole tree.
    /// </summary>
    Task<string?> FingerprintAsync(GitSourceSpec spec, string commitSha, IReadOnlyList<string> paths, CancellationToken ct) =>
        Task.FromResult<string?>(null);
}
