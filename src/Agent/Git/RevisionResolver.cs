using System.Text.RegularExpressions;
using LibGit2Sharp;

namespace GitOps.Agent.Git;

/// <summary>A commit and the reference it was found through.</summary>
internal sealed record ResolvedRevision(Commit Commit, string Reference);

/// <summary>
/// Finds the commit a branch, tag or SHA names, fetching only what is missing or moved:
/// a SHA already in the cache costs no network at all (commits never change), a ref costs one
/// ls-remote, and a fetch happens only when the remote's ref differs from the cached one.
/// </summary>
internal static partial class RevisionResolver
{
    private static readonly string[] AllBranchesAndTags = ["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"];

    public static ResolvedRevision Resolve(Repository repository, GitRemote remote, string wanted)
    {
        if (string.IsNullOrWhiteSpace(wanted))
        {
            throw new GitSourceException($"repository {remote.Location}: no reference given (a branch, tag or commit SHA)");
        }

        wanted = wanted.Trim();
        var looksLikeSha = Sha().IsMatch(wanted);
        if (looksLikeSha && FindCommit(repository, wanted) is { } cached)
        {
            return new ResolvedRevision(cached, cached.Sha);
        }

        var remoteRefs = remote.ListReferences();
        var name = FindRef(remoteRefs, wanted);
        if (name is null)
        {
            if (!looksLikeSha)
            {
                throw new GitSourceException($"repository {remote.Location}: reference '{wanted}' not found (no such branch or tag)");
            }

            // Servers need not serve arbitrary SHAs, so fetch what they advertise and look again.
            remote.Fetch(AllBranchesAndTags);
            var fetched = FindCommit(repository, wanted)
                ?? throw new GitSourceException($"repository {remote.Location}: commit {wanted} not found on any branch or tag");
            return new ResolvedRevision(fetched, fetched.Sha);
        }

        if (!string.Equals(repository.Refs[name]?.TargetIdentifier, remoteRefs[name].Sha, StringComparison.Ordinal))
        {
            remote.Fetch([$"+{name}:{name}"]);
        }

        return new ResolvedRevision(PeelToCommit(repository, name, remote.Location), name);
    }

    /// <summary>
    /// The commit <paramref name="head"/> that the remote's <paramref name="wanted"/> was just seen at
    /// (by an ls-remote of the caller's): read from the local copy when the commit and a local ref of
    /// that name are there, with no network at all; otherwise resolved as <see cref="Resolve"/> does
    /// (one ls-remote, one fetch), which brings the commit in for every later caller.
    /// </summary>
    public static ResolvedRevision ResolveAt(Repository repository, GitRemote remote, string wanted, string head)
    {
        wanted = wanted.Trim();
        string[] names = wanted.StartsWith("refs/", StringComparison.Ordinal) ? [wanted] : [$"refs/heads/{wanted}", $"refs/tags/{wanted}"];
        var name = names.FirstOrDefault(n => repository.Refs[n] is not null);
        if (name is not null && Sha().IsMatch(head) && FindCommit(repository, head) is { } known)
        {
            return new ResolvedRevision(known, name);
        }

        return Resolve(repository, remote, wanted);
    }

    /// <summary>The SHA the remote ref <paramref name="wanted"/> points to (peeled for annotated tags), or null.</summary>
    public static string? RemoteSha(IReadOnlyDictionary<string, RemoteRef> refs, string wanted) =>
        FindRef(refs, wanted.Trim()) is { } name ? refs.GetValueOrDefault(name + "^{}")?.Sha ?? refs[name].Sha : null;

    /// <summary>The full name of the remote ref <paramref name="wanted"/> means: exact, then branch, then tag.</summary>
    private static string? FindRef(IReadOnlyDictionary<string, RemoteRef> refs, string wanted)
    {
        string[] candidates = wanted.StartsWith("refs/", StringComparison.Ordinal)
            ? [wanted]
            : [wanted, $"refs/heads/{wanted}", $"refs/tags/{wanted}"];
        foreach (var candidate in candidates)
        {
            if (refs.TryGetValue(candidate, out var found))
            {
                // HEAD and other symbolic refs name a branch; that branch is what we track.
                return found.SymbolicTarget is { } target && refs.ContainsKey(target) ? target : found.Sha is null ? null : candidate;
            }
        }

        return null;
    }

    private static Commit PeelToCommit(Repository repository, string name, RepositoryLocation location)
    {
        var target = repository.Refs[name]?.ResolveToDirectReference()?.Target
            ?? throw new GitSourceException($"repository {location}: reference '{name}' was not fetched");
        return AsCommit(target)
            ?? throw new GitSourceException($"repository {location}: reference '{name}' points to a {target.GetType().Name.ToLowerInvariant()}, not a commit");
    }

    private static Commit? FindCommit(Repository repository, string sha)
    {
        try
        {
            return AsCommit(repository.Lookup(sha));
        }
        catch (AmbiguousSpecificationException ex)
        {
            throw new GitSourceException($"commit SHA '{sha}' is ambiguous: give more digits", ex);
        }
    }

    /// <summary>The commit an object is or (through annotated tags) points at; null for trees and blobs.</summary>
    private static Commit? AsCommit(GitObject? target) => target switch
    {
        Commit commit => commit,
        TagAnnotation tag => AsCommit(tag.Target),
        _ => null,
    };

    [GeneratedRegex("^[0-9a-fA-F]{7,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Sha();
}
