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
    private readonly BatchedReads reads;
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
        reads = new BatchedReads(cache);
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Fetches run so far, all repositories together.</summary>
    internal int FetchCount => Volatile.Read(ref fetches);

    public Task<SourceRevision> GetRevisionAsync(GitSourceSpec spec, string? revision, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var wanted = revision ?? spec.Reference;
        return cache.UseAsync(spec, (repository, remote) => Read(repository, remote, spec, wanted, () => RevisionResolver.Resolve(repository, remote, wanted)), ct);
    }

    /// <summary>
    /// As <see cref="GetRevisionAsync"/> for the branch head <paramref name="head"/> just learned by an
    /// ls-remote (<see cref="SharedHeads"/>): no ls-remote of its own, and a fetch only when the commit
    /// is not in the local copy yet, so the targets of one branch cost one fetch per commit together.
    /// Reads of one repository queued meanwhile share one open of the local copy.
    /// </summary>
    public Task<SourceRevision> GetRevisionAtAsync(GitSourceSpec spec, string head, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrWhiteSpace(head);
        return reads.ReadAsync(spec, (repository, remote) => Read(repository, remote, spec, spec.Reference, () => RevisionResolver.ResolveAt(repository, remote, spec.Reference, head)), ct);
    }

    /// <param name="resolve">Finds the commit; it may fetch through <paramref name="remote"/> (which a batch of reads shares).</param>
    private SourceRevision Read(LibGit2Sharp.Repository repository, GitRemote remote, GitSourceSpec spec, string wanted, Func<ResolvedRevision> resolve)
    {
        var before = remote.Fetches;
        try
        {
            var resolved = resolve();
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

            LogRevision(logger, remote.Location.Url, wanted, resolved.Commit.Sha, files.Count, remote.Fetches - before);
            return new SourceRevision(resolved.Commit.Sha, resolved.Reference, files, resolved.Commit.Message)
            {
                Signature = SignatureOf(repository, resolved.Commit),
                Render = render,
            };
        }
        finally
        {
            Interlocked.Add(ref fetches, remote.Fetches - before);
        }
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
