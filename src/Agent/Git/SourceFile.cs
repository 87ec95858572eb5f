namespace GitOps.Agent.Git;

/// <summary>One manifest file read from a commit.</summary>
/// <param name="Path">Path from the repository root, with <c>/</c> separators.</param>
/// <param name="Content">The blob's bytes, unfiltered.</param>
#pragma warning disable CA1819 // The content is a blob read once; copying it on each access would only cost.
public sealed record SourceFile(string Path, byte[] Content);
#pragma warning restore CA1819
