using System.Collections.Concurrent;
using LibGit2Sharp;

namespace GitOps.Agent.Git;

/// <summary>
/// One bare clone per repository in a cache folder (named by <see cref="RepositoryLocation.CacheKey"/>),
/// shared by the source, the status notes and rollbacks. A libgit2 repository must not be used by two
/// threads at once, so every use holds that clone's lock, which is process-wide: two
/// <see cref="RepositoryCache"/> instances over the same folder still take turns.
/// </summary>
internal sealed class RepositoryCache
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Locks = new(StringComparer.Ordinal);

    private readonly string directory;
    private readonly GitOptions options;

    public RepositoryCache(string directory, GitOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        this.directory = Path.GetFullPath(directory);
        this.options = options;
    }

    /// <summary>The bare clone's folder for a repository.</summary>
    public string FolderFor(string repository) => Path.Combine(directory, RepositoryLocation.Parse(repository).CacheKey);

    /// <summary>
    /// Runs <paramref name="work"/> on the repository's bare clone (made on first use) under its lock,
    /// on a pool thread because libgit2 blocks.
    /// </summary>
    /// <remarks>
    /// Cancellation returns to the caller at once, but a native call already running cannot be
    /// interrupted (ls-remote has no callback); the lock is released only when the work really
    /// ends, so the next caller never shares the repository with it.
    /// </remarks>
    public async Task<T> UseAsync<T>(GitSourceSpec spec, Func<Repository, GitRemote, T> work, CancellationToken ct)
    {
        var location = RepositoryLocation.Parse(spec.Repository);
        var credentials = CredentialsProvider.Create(spec.Credentials, location);
        var folder = Path.Combine(directory, location.CacheKey);
        var gate = Locks.GetOrAdd(folder, _ => new SemaphoreSlim(1, 1));

        await gate.WaitAsync(ct);
        var task = Task.Run(
            () =>
            {
                try
                {
                    using var repository = Open(folder, location);
                    return work(repository, new GitRemote(repository, location, credentials, ct));
                }
                finally
                {
                    gate.Release();
                }
            },
            CancellationToken.None);
        return await task.WaitAsync(ct);
    }

    private Repository Open(string folder, RepositoryLocation location)
    {
        if (!Repository.IsValid(folder))
        {
            // A folder left half-made by a crash is not worth repairing: it is only a cache.
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            Directory.CreateDirectory(folder);
            Repository.Init(folder, isBare: true);
        }

        var repository = new Repository(folder);
        try
        {
            Configure(repository, location);
            return repository;
        }
        catch
        {
            repository.Dispose();
            throw;
        }
    }

    private void Configure(Repository repository, RepositoryLocation location)
    {
        var remote = repository.Network.Remotes[GitRemote.Name];
        if (remote is null)
        {
            // Mirror layout: the remote's branches are this clone's branches. Fetches always name
            // their refspecs; this one only decides what libgit2 updates opportunistically.
            repository.Network.Remotes.Add(GitRemote.Name, location.Url, "+refs/heads/*:refs/heads/*");
        }
        else if (!string.Equals(remote.Url, location.Url, StringComparison.Ordinal))
        {
            repository.Network.Remotes.Update(GitRemote.Name, r => r.Url = location.Url);
        }

        // This libgit2 runs an external ssh and reads the command from GIT_SSH or core.sshCommand;
        // the repository's config is the one place a running .NET process can set it.
        var configured = repository.Config.Get<string>("core.sshCommand", ConfigurationLevel.Local)?.Value;
        if (!string.Equals(configured, options.SshCommand, StringComparison.Ordinal))
        {
            if (options.SshCommand is null)
            {
                repository.Config.Unset("core.sshCommand", ConfigurationLevel.Local);
            }
            else
            {
                repository.Config.Set("core.sshCommand", options.SshCommand, ConfigurationLevel.Local);
            }
        }
    }
}
