namespace GitOps.Agent.Sync;

/// <summary>How an inventory's member list is stored on the ApplySet parent.</summary>
internal sealed record InventoryOptions
{
    /// <summary>
    /// A member list up to this many bytes lives in the parent itself (<c>data.members</c>), as
    /// before (default 256 KiB, about 1,000 members with long names). A longer one is compressed
    /// and spread over part ConfigMaps the parent names; a ConfigMap holds at most 1 MiB.
    /// </summary>
    public int InlineBytes { get; init; } = 256 * 1024;

    /// <summary>Compressed bytes per part ConfigMap (default 512 KiB: well under the 1 MiB object limit and etcd's 1.5 MiB request limit).</summary>
    public int PartBytes { get; init; } = 512 * 1024;

    /// <summary>
    /// The longest member list a target may have, uncompressed (default 64 MiB: the render
    /// budget's 100,000 objects with names of 250 characters and more). Checked before anything
    /// of a pass is written, as the intent record precedes every apply.
    /// </summary>
    public long MaxBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// A part no parent names is deleted once it is this old (default 10 minutes): a writer that
    /// died between writing its parts and the parent leaves them; a younger one may belong to a
    /// writer about to store its parent.
    /// </summary>
    public TimeSpan OrphanAge { get; init; } = TimeSpan.FromMinutes(10);
}
