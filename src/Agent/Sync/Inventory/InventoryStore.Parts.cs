using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GitOps.Agent.Kube;

namespace GitOps.Agent.Sync;

/// <summary>The part ConfigMaps of member lists too long for the parent.</summary>
internal sealed partial class InventoryStore
{
    /// <summary>The member text of the parts each target's parent last named, by digest: parts never change.</summary>
    private readonly ConcurrentDictionary<string, (string Digest, string Members)> decoded = new(StringComparer.Ordinal);

    private async Task<(IReadOnlyList<string> Parts, string Digest)> WritePartsAsync(SyncTarget target, string id, string members, CancellationToken ct)
    {
        var encoded = MemberParts.Encode(members, options.PartBytes);
        var write = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var names = Enumerable.Range(0, encoded.Parts.Count).Select(i => $"{ParentName(target)}-part-{write}-{i}").ToList();
        try
        {
            for (var i = 0; i < names.Count; i++)
            {
                await api.CreateAsync(ConfigMaps.Path(target.InventoryNamespace), InventoryDocument.BuildPart(target, id, names[i], encoded.Parts[i], i, names.Count), ct);
            }
        }
        catch (KubeApiException)
        {
            await DeletePartsAsync(target, names, ct);
            throw;
        }

        decoded[target.Name] = (encoded.Digest, members);
        return (names, encoded.Digest);
    }

    /// <exception cref="InventoryException">A part is gone or the parts do not match <paramref name="digest"/>.</exception>
    private async Task<string> ReadPartsAsync(SyncTarget target, IReadOnlyList<string> names, string digest, CancellationToken ct)
    {
        if (decoded.TryGetValue(target.Name, out var known) && known.Digest == digest)
        {
            return known.Members;
        }

        var bytes = new List<byte[]>();
        foreach (var name in names)
        {
            var part = await api.GetAsync(ConfigMaps.Path(target.InventoryNamespace, name), ct);
            if ((string?)part?["binaryData"]?[InventoryDocument.PartDataKey] is not { } data)
            {
                throw Unreadable(target, $"its part {name} is missing");
            }

            bytes.Add(Convert.FromBase64String(data));
        }

        var members = MemberParts.Decode(bytes, digest) ?? throw Unreadable(target, "its parts do not match its digest");
        decoded[target.Name] = (digest, members);
        return members;
    }

    /// <summary>
    /// After a parent write: deletes the parts the replaced version named that the new one does
    /// not, and parts no parent names that are older than <see cref="InventoryOptions.OrphanAge"/>.
    /// Best effort: a part left behind is deleted by a later write.
    /// </summary>
    private async Task RetirePartsAsync(SyncTarget target, IReadOnlyList<string> replaced, IReadOnlyList<string> current, CancellationToken ct)
    {
        if (replaced.Count == 0 && current.Count == 0)
        {
            return; // an inline list that stays inline: no parts to look for
        }

        await DeletePartsAsync(target, replaced.Except(current, StringComparer.Ordinal).ToList(), ct);
        try
        {
            var all = await api.ListAsync(ConfigMaps.Path(target.InventoryNamespace), $"{InventoryDocument.PartLabel}={IdOf(target)}", ct);
            var cutoff = clock.GetUtcNow() - options.OrphanAge;
            var orphans = (all["items"]?.AsArray() ?? []).OfType<JsonObject>()
                .Where(p => !current.Contains((string?)p["metadata"]?["name"] ?? string.Empty, StringComparer.Ordinal) && CreatedBefore(p, cutoff))
                .Select(p => (string)p["metadata"]!["name"]!)
                .ToList();
            await DeletePartsAsync(target, orphans, ct);
        }
        catch (KubeApiException)
        {
            // a LIST refused now is retried by the next write
        }
    }

    private async Task DeletePartsAsync(SyncTarget target, IEnumerable<string> names, CancellationToken ct)
    {
        foreach (var name in names)
        {
            try
            {
                await api.DeleteAsync(ConfigMaps.Path(target.InventoryNamespace, name), ct);
            }
            catch (KubeApiException)
            {
                // left for the orphan sweep of a later write
            }
        }
    }

    private static bool CreatedBefore(JsonObject part, DateTimeOffset cutoff) =>
        DateTimeOffset.TryParse((string?)part["metadata"]?["creationTimestamp"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created)
        && created < cutoff;

    private static InventoryException Unreadable(SyncTarget target, string why) =>
        new($"the inventory ConfigMap {target.InventoryNamespace}/{ParentName(target)} cannot be read: {why}; "
            + "it may have been replaced meanwhile (the next pass reads it again), or its parts were deleted by hand");
}
