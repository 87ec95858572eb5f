using LibGit2Sharp;

namespace GitOps.Agent.Git;

/// <summary>A reference as the remote advertises it: a SHA, or the name a symbolic one (HEAD) points at.</summary>
internal sealed record RemoteRef(string Name, string? Sha, string? SymbolicTarget);

/// <summary>Outcome of <see cref="GitRemote.CompareAndSwap"/>: the ref was moved, or why it was not.</summary>
internal readonly record struct SwapResult(bool Updated, string? Refusal)
{
    public static SwapResult Done => new(true, null);

    public static SwapResult Refused(string reason) => new(false, reason);
}

/// <summary>
/// The network verbs on the cache's <c>origin</c> remote (ls-remote, fetch, push) with credentials,
/// cancellation and error messages that name the repository without secrets. Used by one thread
/// at a time, under the repository's lock.
/// </summary>
internal sealed partial class GitRemote
{
    public const string Name = "origin";

    private readonly Repository repository;
    private readonly CredentialsProvider? credentials;
    private readonly CancellationToken ct;

    public GitRemote(Repository repository, RepositoryLocation location, CredentialsProvider? credentials, CancellationToken ct)
    {
        this.repository = repository;
        Location = location;
        this.credentials = credentials;
        this.ct = ct;
    }

    public RepositoryLocation Location { get; }

    /// <summary>How many fetches this instance ran; tests use it to see that unchanged refs cost no fetch.</summary>
    public int Fetches { get; private set; }

    /// <summary>The remote's references by full name (ls-remote).</summary>
    public IReadOnlyDictionary<string, RemoteRef> ListReferences()
    {
        return Run("list references of", () =>
        {
            var remote = repository.Network.Remotes[Name];
            var refs = credentials is null
                ? repository.Network.ListReferences(remote)
                : repository.Network.ListReferences(remote, credentials.Begin());
            return refs.ToDictionary(
                r => r.CanonicalName,
                r => r is SymbolicReference s
                    ? new RemoteRef(r.CanonicalName, null, s.TargetIdentifier)
                    : new RemoteRef(r.CanonicalName, r.TargetIdentifier, null),
                StringComparer.Ordinal);
        });
    }

    /// <summary>Fetches exactly these refspecs; tags are not followed automatically.</summary>
    public void Fetch(IReadOnlyCollection<string> refspecs)
    {
        Fetches++;
        Run("fetch from", () =>
        {
            var options = new FetchOptions
            {
                TagFetchMode = TagFetchMode.None,
                Prune = false,
                CredentialsProvider = credentials?.Begin(),
                OnTransferProgress = _ => !ct.IsCancellationRequested,
                OnProgress = _ => !ct.IsCancellationRequested,
            };
            Commands.Fetch(repository, Name, refspecs, options, logMessage: null);
            return 0;
        });
    }

    /// <summary>
    /// Pushes the refspecs and returns the remote's rejections (empty when all refs were updated).
    /// A push that is not a fast-forward is a rejection too: libgit2 finds that out before sending
    /// anything, and a server finds it out when another writer got there first. Over a local
    /// transport a writer that lands between libgit2's check and its update is overwritten; a ref
    /// that others write concurrently needs <see cref="CompareAndSwap"/>.
    /// </summary>
    public IReadOnlyList<string> Push(IReadOnlyCollection<string> refspecs)
    {
        var rejections = new List<string>();
        Run("push to", () =>
        {
            var options = new PushOptions
            {
                CredentialsProvider = credentials?.Begin(),
                OnPushStatusError = e => rejections.Add($"{e.Reference}: {UrlRedactor.Redact(e.Message)}"),
                OnPushTransferProgress = (_, _, _) => !ct.IsCancellationRequested,
                OnPackBuilderProgress = (_, _, _) => !ct.IsCancellationRequested,
            };
            try
            {
                repository.Network.Push(repository.Network.Remotes[Name], refspecs, options);
            }
            catch (NonFastForwardException)
            {
                rejections.Add($"{string.Join(", ", refspecs)}: not a fast-forward (the remote moved)");
            }

            return 0;
        });

        return rejections;
    }

    /// <summary>
    /// Moves the remote's <paramref name="refName"/> from <paramref name="expected"/> (null: absent)
    /// to <paramref name="desired"/>, the value of the same ref in the local repository, and only
    /// then: when the remote holds anything else, nothing changes and the refusal says why.
    /// </summary>
    /// <remarks>
    /// Over the network the guard has two halves. The negotiation callback sees the value the
    /// remote advertised when the push connected and refuses unless it is <paramref name="expected"/>;
    /// the server (receive-pack) then updates the ref only if it still holds that advertised value,
    /// under its ref lock, and reports a refusal otherwise. libgit2's local transport has no such
    /// server half (it overwrites the ref), so local remotes go through <see cref="SwapLocal"/>.
    /// </remarks>
    public SwapResult CompareAndSwap(string refName, ObjectId? expected, ObjectId desired)
    {
        if (LocalPath() is { } path)
        {
            return Run("push to", () => SwapLocal(path, refName, expected, desired));
        }

        string? moved = null;
        var rejections = new List<string>();
        var options = new PushOptions
        {
            CredentialsProvider = credentials?.Begin(),
            OnPushStatusError = e => rejections.Add($"{e.Reference}: {UrlRedactor.Redact(e.Message)}"),
            OnNegotiationCompletedBeforePush = updates =>
            {
                moved = updates.Where(u => u.DestinationRefName == refName && u.SourceObjectId != (expected ?? ObjectId.Zero))
                    .Select(u => Moved(refName, expected, u.SourceObjectId == ObjectId.Zero ? null : u.SourceObjectId))
                    .FirstOrDefault();
                return moved is null;
            },
            OnPushTransferProgress = (_, _, _) => !ct.IsCancellationRequested,
            OnPackBuilderProgress = (_, _, _) => !ct.IsCancellationRequested,
        };
        Run("push to", () =>
        {
            try
            {
                repository.Network.Push(repository.Network.Remotes[Name], $"{refName}:{refName}", options);
            }
            catch (NonFastForwardException)
            {
                moved ??= $"{refName}: not a fast-forward (the remote moved)";
            }
            catch (LibGit2SharpException) when (moved is not null)
            {
                // Our own negotiation callback refused the push; the reason is in 'moved'.
            }

            return 0;
        });

        return moved is not null ? SwapResult.Refused(moved)
            : rejections.Count > 0 ? SwapResult.Refused(rejections[0])
            : SwapResult.Done;
    }

    private static string Moved(string refName, ObjectId? expected, ObjectId? actual) =>
        $"{refName} moved on the remote: it is at {actual?.ToString(7) ?? "(none)"}, the write was based on {expected?.ToString(7) ?? "(none)"}";

    private T Run<T>(string verb, Func<T> operation)
    {
        ct.ThrowIfCancellationRequested();
        try
        {
            return operation();
        }
        catch (UserCancelledException) when (ct.IsCancellationRequested)
        {
            throw new OperationCanceledException(ct);
        }
        catch (LibGit2SharpException ex)
        {
            throw Describe(verb, ex);
        }
    }

    private GitSourceException Describe(string verb, LibGit2SharpException ex)
    {
        var what = $"{verb} {Location.Url}";
        if (credentials is { Rejected: true })
        {
            return new GitSourceException($"{what}: authentication failed: the server refused the credentials from {credentials.Source}");
        }

        var message = UrlRedactor.Redact(ex.Message);
        if (credentials is null && IsAuthenticationRequired(ex))
        {
            return new GitSourceException($"{what}: the server requires authentication; give credentials (a token file)");
        }

        // Keep libgit2's exception when it cannot carry a secret; its message is already in ours.
        var inner = message == ex.Message ? ex : null;
        return new GitSourceException($"{what}: {message}", inner);
    }

    private static bool IsAuthenticationRequired(LibGit2SharpException ex) =>
        ex.Message.Contains("authentication", StringComparison.OrdinalIgnoreCase)
        || ex.Message.Contains("401", StringComparison.Ordinal);
}
