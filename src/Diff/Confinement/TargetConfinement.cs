using System.Text.RegularExpressions;
using GitOps.Diff.Identity;

namespace GitOps.Diff.Confinement;

/// <summary>One object a target may not write, and why.</summary>
public sealed record ConfinementViolation(ResourceKey Key, string Reason)
{
    public override string ToString() => $"{Key}: {Reason}";
}

/// <summary>
/// Where a target may write: namespaces matching <see cref="AllowedNamespaces"/> (globs, <c>*</c>
/// and <c>?</c>; empty means any namespace) and the cluster-scoped kinds of <see cref="ClusterScoped"/>.
/// A Namespace object is judged twice: its name must be an allowed namespace, and Namespace an allowed
/// cluster-scoped kind. Pure: the engine refuses a revision with any violation before it writes, and
/// never prunes an object outside either.
/// </summary>
public sealed record TargetConfinement(IReadOnlyList<string> AllowedNamespaces, ClusterScopePolicy ClusterScoped)
{
    /// <summary>No confinement: what a target without the keys gets (the behaviour before they existed).</summary>
    public static TargetConfinement None { get; } = new([], ClusterScopePolicy.Any);

    public bool IsNone => AllowedNamespaces.Count == 0 && ClusterScoped.All;

    /// <summary>
    /// The confinement of the keys as written: without <c>allowClusterScoped</c>, cluster-scoped kinds are
    /// allowed only when no namespaces are listed (listing namespaces means "only these").
    /// </summary>
    public static TargetConfinement Of(IReadOnlyList<string>? allowedNamespaces, ClusterScopePolicy? clusterScoped) =>
        new(allowedNamespaces ?? [], clusterScoped ?? (allowedNamespaces is { Count: > 0 } ? ClusterScopePolicy.None : ClusterScopePolicy.Any));

    public bool AllowsNamespace(string ns) => AllowedNamespaces.Count == 0 || AllowedNamespaces.Any(glob => Glob(glob).IsMatch(ns));

    /// <summary>Why <paramref name="key"/> is outside, or null when the target may write it.</summary>
    public string? Why(ResourceKey key)
    {
        if (key.Namespace is { } ns)
        {
            return AllowsNamespace(ns) ? null : $"namespace {ns} is not among the target's allowedNamespaces ({Listed})";
        }

        if (key.GroupKind == new GroupKind("", "Namespace") && !AllowsNamespace(key.Name))
        {
            return $"namespace {key.Name} is not among the target's allowedNamespaces ({Listed})";
        }

        return ClusterScoped.Allows(key.GroupKind) ? null : $"cluster-scoped {key.GroupKind} is not allowed by the target's allowClusterScoped ({ClusterScoped})";
    }

    /// <summary>Every object of <paramref name="keys"/> the target may not write, in their order.</summary>
    public IReadOnlyList<ConfinementViolation> Check(IEnumerable<ResourceKey> keys) =>
        keys.Select(k => Why(k) is { } why ? new ConfinementViolation(k, why) : null).OfType<ConfinementViolation>().ToList();

    /// <summary>
    /// The prune plan with every deletion outside turned into a skip: a member recorded before the
    /// confinement was narrowed (or written into the inventory by someone else) is kept, and said so.
    /// </summary>
    public IReadOnlyList<Prune.PruneDecision> Confine(IReadOnlyList<Prune.PruneDecision> decisions) =>
        IsNone ? decisions : decisions.Select(d => d.Verdict == Prune.PruneVerdict.Delete && Why(d.Key) is { } why
            ? d with { Verdict = Prune.PruneVerdict.Skip, Reason = $"not pruned: outside the target's confinement ({why})" }
            : d).ToList();

    /// <summary>A target whose default namespace is outside its own confinement is a configuration error.</summary>
    public string? DefaultNamespaceProblem(string defaultNamespace) =>
        AllowsNamespace(defaultNamespace) ? null : $"the default namespace {defaultNamespace} is not among allowedNamespaces ({Listed})";

    /// <summary>A glob that can never match a namespace name is most likely a typo.</summary>
    public static string? GlobProblem(string glob) =>
        glob.Length == 0 || !Regex.IsMatch(glob, "^[a-z0-9*?-]+$")
            ? $"'{glob}' is not a namespace glob (lower-case letters, digits, '-', '*' and '?')"
            : null;

    private string Listed => string.Join(", ", AllowedNamespaces);

    private static Regex Glob(string glob) =>
        new("^" + Regex.Escape(glob).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant);

    public bool Equals(TargetConfinement? other) =>
        other is not null && AllowedNamespaces.SequenceEqual(other.AllowedNamespaces) && ClusterScoped.Equals(other.ClusterScoped);

    public override int GetHashCode() => HashCode.Combine(AllowedNamespaces.Count, ClusterScoped);
}
