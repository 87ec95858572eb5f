namespace GitOps.Diff.Render;

/// <summary>Counts JSON nodes as they are built, for one file and for the whole revision.</summary>
internal sealed class NodeBudget(long fileLimit, NodeBudget? revision = null)
{
    public long Spent { get; private set; }

    public void Spend(long nodes, Func<SourceLocation> where)
    {
        if (Spent + nodes > fileLimit)
        {
            throw new ManifestException(where(), $"expands to more than {fileLimit:N0} nodes (an alias bomb?)");
        }

        revision?.Spend(nodes, where);
        Spent += nodes;
    }
}
