using LibGit2Sharp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOps.Agent.Git;

/// <summary>
/// <see cref="IGitSource"/> over a bare clone per repository in a cache folder: ls-remote first,
/// fetch only what moved, read the commit's tree without a checkout.
/// </summary>
public sealed partial class GitSource : IGitSource
{
    private readonly RepositoryCache cache;
    private readonly GitOptions options;
    private readonly ILogger logger;
    private int fetches;

    /// <param name="cacheDirectory">Folder that holds the bare clones; made when missing.</param>
    /// <param name="options">Budgets and the ssh command; <see cref="GitOptions.Default"/> when null.</param>
    /// <param name="logger">Where fetches are logged (URLs without credentials).</param>
    public GitSource(string cacheDirectory, GitOptions? options = null, ILogger<GitSource>? logger = null)
    {
        this.options = options ?? GitOptions.Default;
        cache = new RepositoryCache(cacheDirectory, this.options);
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Fetches run so far, all repositories together.</summary>
    internal int FetchCount => Volatile.Read(ref fetches);

    public Task<SourceRevision> GetRevisionAsync(GitSourceSpec spec, string? revision, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var wanted = revision ?? spec.Reference;
        return cache.UseAsync(
            spec,
            (repository, remote) =>
            {
                try
                {
                    var resolved = RevisionResolver.Resolve(repository, remote, wanted);
                    IReadOnlyList<SourceFile> files;
                    RenderSource render;
                    try
                    {
                        render = TreeReader.RenderSourceOf(resolved.Commit, spec.Path);
                        files = render.Kind == SourceKind.Plain ? TreeReader.Read(resolved.Commit, spec.Path, options) : [];
                    }
                    catch (GitSourceException ex)
                    {
                        throw new GitSourceException(ex.Message, ex) { CommitSha = resolved.Commit.Sha };
                    }

                    LogRevision(logger, remote.Location.Url, wanted, resolved.Commit.Sha, files.Count, remote.Fetches);
                    return new SourceRevision(resolved.Commit.Sha, resolved.Reference, files, resolved.Commit.Message)
                    {
                        Signature = SignatureOf(repository, resolved.Commit),
                        Render = render,
                    };
                }
                finally
                {
                    Interlocked.Add(ref fetches, remote.Fetches);
                }
            },
            ct);
    }

    private static CommitSignature? SignatureOf(LibGit2Sharp.Repository repository, LibGit2Sharp.Commit commit)
    {
        try
        {
            var info = LibGit2Sharp.Commit.ExtractSignature(repository, commit.Id);
            return new CommitSignature(info.Signature, info.SignedData);
        }
        catch (LibGit2Sharp.NotFoundException)
        {
            return null; // unsigned
        }
    }

    public Task ExportAsync(GitSourceSpec spec, string commitSha, string destination, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return cache.UseAsync(
            spec,
            (repository, _) =>
            {
                var commit = repository.Lookup(commitSha) as Commit
                    ?? throw new GitSourceException($"commit {commitSha} is not in the local copy of {UrlRedactor.Redact(spec.Repository)}");
                try
                {
                    new TreeExporter(commit, TreeReader.NormalizePath(spec.Path), options).Write(destination);
                }
                catch (GitSourceException ex)
                {
                    throw new GitSourceException(ex.Message, ex) { CommitSha = commit.Sha };
                }

                return true;
            },
            ct);
    }

    public Task<string?> FingerprintAsync(GitSourceSpec spec, string commitSha, IReadOnlyList<string> paths, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return cache.UseAsync(
            spec,
            (repository, _) => repository.Lookup(commitSha) is LibGit2Sharp.Commit commit ? TreeFingerprint.Of(commit, paths) : null,
            ct);
    }

    public Task<string?> HeadAsync(GitSourceSpec spec, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return cache.UseAsync(spec, (_, remote) => RevisionResolver.RemoteSha(remote.ListReferences(), spec.Reference), ct);
    }
}
