namespace GitOps.Agent.Git;

/// <summary>The manifests of one commit.</summary>
/// <param name="CommitSha">The full SHA of the commit the files were read from.</param>
/// <param name="Reference">The full reference that was resolved (<c>refs/heads/main</c>, <c>refs/tags/v1</c>), or the SHA when a commit was asked for.</param>
/// <param name="Files">The manifest files under the spec's path, sorted by path (ordinal).</param>
/// <param name="Message">The commit message.</param>
public sealed record SourceRevision(string CommitSha, string Reference, IReadOnlyList<SourceFile> Files, string Message)
{
    /// <summary>The commit's <c>gpgsig</c> header (OpenPGP or SSH), or null when the commit is unsigned.</summary>
    public CommitSignature? Signature { get; init; }

    /// <summary>How the folder becomes manifests (null: plain, from a source that cannot tell); for Kustomize and Helm, <see cref="Files"/> is empty and a tool renders the folder.</summary>
    public RenderSource? Render { get; init; }
}

/// <summary>A commit's signature and the exact bytes it signs (the commit object without the header).</summary>
public sealed record CommitSignature(string Signature, string SignedData);
