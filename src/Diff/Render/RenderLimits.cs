namespace GitOps.Diff.Render;

/// <summary>
/// Budgets that keep hostile or broken input ("billion laughs", a generated 2 GB file) from
/// hanging the agent or exhausting memory. The defaults are far above any real repository:
/// the largest CRDs in the wild are ~1 MB and ~50,000 nodes.
/// </summary>
public sealed record RenderLimits
{
    public static RenderLimits Default { get; } = new();

    /// <summary>Bytes of one file (default 16 MiB).</summary>
    public long MaxFileBytes { get; init; } = 16L << 20;

    /// <summary>Bytes of all files of a revision (default 256 MiB).</summary>
    public long MaxRevisionBytes { get; init; } = 256L << 20;

    /// <summary>YAML documents in one file (default 10,000).</summary>
    public int MaxDocumentsPerFile { get; init; } = 10_000;

    /// <summary>Objects in one revision after <c>kind: List</c> expansion (default 100,000).</summary>
    public int MaxObjectsPerRevision { get; init; } = 100_000;

    /// <summary>JSON nodes one file may expand to, aliases counted at every use (default 2,000,000).</summary>
    public long MaxNodesPerFile { get; init; } = 2_000_000;

    /// <summary>JSON nodes of a whole revision (default 20,000,000).</summary>
    public long MaxNodesPerRevision { get; init; } = 20_000_000;

    /// <summary>Nesting depth of mappings and sequences (default 100).</summary>
    public int MaxDepth { get; init; } = 100;
}
