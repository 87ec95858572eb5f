using GitOps.Diff.Identity;

namespace GitOps.Diff.Confinement;

/// <summary>
/// Which cluster-scoped kinds a target may write: all, none, or the listed ones. A listed kind is
/// <c>Kind</c> (that kind in any group) or <c>Kind.group</c> (<c>ClusterRole.rbac.authorization.k8s.io</c>),
/// the way kubectl names kinds; the exact form is the one to use when a CRD could define a look-alike.
/// </summary>
public sealed record ClusterScopePolicy
{
    private ClusterScopePolicy(bool all, IReadOnlyList<string> kinds) => (All, Kinds) = (all, kinds);

    public static ClusterScopePolicy Any { get; } = new(true, []);

    public static ClusterScopePolicy None { get; } = new(false, []);

    public bool All { get; }

    public IReadOnlyList<string> Kinds { get; }

    public static ClusterScopePolicy Only(IEnumerable<string> kinds) => new(false, kinds.ToList());

    public bool Allows(GroupKind kind) =>
        All || Kinds.Any(k => string.Equals(k, kind.Kind, StringComparison.Ordinal) || string.Equals(k, kind.ToString(), StringComparison.Ordinal));

    public bool Equals(ClusterScopePolicy? other) => other is not null && All == other.All && Kinds.SequenceEqual(other.Kinds);

    public override int GetHashCode() => HashCode.Combine(All, Kinds.Count);

    public override string ToString() => All ? "true" : Kinds.Count == 0 ? "false" : $"[{string.Join(", ", Kinds)}]";
}
