using System.Security.Cryptography;
using System.Text;
using GitOps.Diff.Identity;

namespace GitOps.Agent.Sync;

/// <summary>
/// What the agent applied for a target, kept on the ApplySet parent. Per member it remembers the
/// hash of what it sent and the hash of the values of the fields it owns afterwards, so a pass
/// can see from one LIST that neither the manifest nor the cluster moved and skip the dry-run.
/// </summary>
internal sealed record InventoryMember(ResourceKey Key, string ApiVersion, string AppliedHash, string OwnedHash);

internal sealed record ApplySetInventory(string Id, string? Revision, IReadOnlyDictionary<ResourceKey, InventoryMember> Members)
{
    /// <summary>The source recorded by the pass that wrote this inventory (see <see cref="SyncTarget.Source"/>).</summary>
    public string? Source { get; init; }

    /// <summary>The parent's resourceVersion this inventory was read at (or written as); null when there is no parent yet.</summary>
    public string? ResourceVersion { get; init; }

    /// <summary>The part ConfigMaps that parent version names (none while the member list fits in the parent).</summary>
    public IReadOnlyList<string> Parts { get; init; } = [];

    /// <summary>
    /// This inventory re-based on one another writer stored meanwhile: every member of either
    /// (ours where both have one), so nothing either writer labelled is left unrecorded.
    /// </summary>
    public ApplySetInventory MergedOnto(ApplySetInventory theirs)
    {
        var members = new Dictionary<ResourceKey, InventoryMember>(theirs.Members);
        foreach (var (key, member) in Members)
        {
            members[key] = member;
        }

        return this with { Members = members, ResourceVersion = theirs.ResourceVersion, Parts = theirs.Parts };
    }

    /// <summary>
    /// The ApplySet id of a parent, as the ApplySet KEP defines it (kubectl checks it):
    /// <c>applyset-</c> + base64url(sha256(name.namespace.kind.group)) + <c>-v1</c>.
    /// </summary>
    public static string IdFor(string name, string ns, string kind = "ConfigMap", string group = "")
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{name}.{ns}.{kind}.{group}"));
        return $"applyset-{Convert.ToBase64String(hash).TrimEnd('=').Replace('+', '-').Replace('/', '_')}-v1";
    }

    public static ApplySetInventory Empty(string id) => new(id, null, new Dictionary<ResourceKey, InventoryMember>());

    /// <summary>One member per line: apiVersion kind namespace name appliedHash ownedHash ("-" for no namespace).</summary>
    public string SerializeMembers()
    {
        var sb = new StringBuilder();
        foreach (var m in Members.Values.OrderBy(m => m.Key.ToString(), StringComparer.Ordinal))
        {
            sb.Append(m.ApiVersion).Append(' ').Append(m.Key.Kind).Append(' ').Append(m.Key.Namespace ?? "-").Append(' ')
              .Append(m.Key.Name).Append(' ').Append(m.AppliedHash).Append(' ').Append(m.OwnedHash).Append('\n');
        }

        return sb.ToString();
    }

    public static Dictionary<ResourceKey, InventoryMember> ParseMembers(string? text)
    {
        var members = new Dictionary<ResourceKey, InventoryMember>();
        foreach (var line in (text ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split(' ');
            if (f.Length != 6)
            {
                continue; // a line we did not write; ignoring it only costs a dry-run
            }

            var group = GroupKind.SplitApiVersion(f[0]).Group;
            var key = new ResourceKey(group, f[1], f[2] == "-" ? null : f[2], f[3]);
            members[key] = new InventoryMember(key, f[0], f[4], f[5]);
        }

        return members;
    }
}
