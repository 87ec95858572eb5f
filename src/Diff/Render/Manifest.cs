using System.Text.Json.Nodes;

namespace GitOps.Diff.Render;

/// <summary>One object read from the repository, and where it was read.</summary>
public sealed record Manifest(JsonObject Object, SourceLocation Source);

/// <summary>A file of the revision: its repository-relative path and its bytes.</summary>
public sealed record ManifestFile(string Path, ReadOnlyMemory<byte> Content);
