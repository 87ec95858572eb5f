namespace GitOps.Diff.Identity;

/// <summary>Whether a kind's objects live in a namespace, as the server's discovery says.</summary>
public enum KindScope
{
    /// <summary>The server does not serve the kind (yet).</summary>
    Unknown,
    Namespaced,
    Cluster,
}
