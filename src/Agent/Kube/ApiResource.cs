using GitOps.Diff.Identity;

namespace GitOps.Agent.Kube;

/// <summary>A served resource: what discovery says about a kind at one version.</summary>
internal sealed record ApiResource(string Group, string Version, string Kind, string Plural, bool Namespaced)
{
    public GroupKind GroupKind => new(Group, Kind);

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The REST path of the collection (<paramref name="name"/> null) or of one object.</summary>
    public string Path(string? ns, string? name = null)
    {
        var prefix = Group.Length == 0 ? "/api/v1" : $"/apis/{Group}/{Version}";
        var scope = Namespaced && ns is not null ? $"/namespaces/{Uri.EscapeDataString(ns)}" : string.Empty;
        var item = name is null ? string.Empty : $"/{Uri.EscapeDataString(name)}";
        return $"{prefix}{scope}/{Plural}{item}";
    }
}
