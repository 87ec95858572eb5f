namespace GitOps.Diff.Identity;

/// <summary>
/// The identity of an object: group, kind, namespace (null when cluster-scoped) and name. The
/// version is deliberately not part of it: one object is served under several versions.
/// Printed as <c>Kind/namespace/name</c> (or <c>Kind/name</c>), the way errors name objects.
/// </summary>
public sealed record ResourceKey(string Group, string Kind, string? Namespace, string Name)
{
    public GroupKind GroupKind => new(Group, Kind);

    public override string ToString() => Namespace is null ? $"{Kind}/{Name}" : $"{Kind}/{Namespace}/{Name}";
}

/// <summary>A kind within its API group (core is the empty group).</summary>
public readonly record struct GroupKind(string Group, string Kind)
{
    public override string ToString() => Group.Length == 0 ? Kind : $"{Kind}.{Group}";

    /// <summary>Splits <c>apps/v1</c> into (apps, v1) and <c>v1</c> into ("", v1).</summary>
    public static (string Group, string Version) SplitApiVersion(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (string.Empty, apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
    }
}
