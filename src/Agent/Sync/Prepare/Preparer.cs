using System.Text.Json.Nodes;
using GitOps.Agent.Kube;
using GitOps.Diff.Identity;
using GitOps.Diff.Json;
using GitOps.Diff.Masking;
using GitOps.Diff.Release;
using GitOps.Diff.Render;

namespace GitOps.Agent.Sync;

/// <summary>
/// What the Prepare stage hands on: the revision's members in apply order, its hooks (not
/// members: run, never kept in sync), and the redactor of its Secret values.
/// </summary>
internal sealed record Prepared(IReadOnlyList<PreparedObject> Objects, SecretRedactor Redactor)
{
    public IReadOnlyList<PreparedHook> Hooks { get; init; } = [];
}

/// <summary>
/// Render → resolve kinds → validate → label: the revision's files become objects ready to send.
/// Discovery is the only I/O; every input error is a <see cref="ManifestException"/> naming file and line.
/// </summary>
internal sealed class Preparer(IDiscovery discovery)
{
    /// <summary>On hook objects: the ApplySet they ran for (they are not its members).</summary>
    public const string HookOfLabel = HookClaims.HookOfLabel;

    /// <param name="manifests">The revision's files as read by <see cref="ManifestRenderer"/> (the engine reads them while the inventory is read).</param>
    public async Task<Prepared> PrepareAsync(IReadOnlyList<Manifest> manifests, SyncTarget target, string applySetId, CancellationToken ct)
    {
        var redactor = SecretRedactor.For(manifests.Select(m => m.Object));
        var resources = await ResolveAsync(manifests, ct);
        var scopes = resources.Values.OfType<ApiResource>().DistinctBy(r => r.GroupKind)
            .ToDictionary(r => r.GroupKind, r => r.Namespaced ? KindScope.Namespaced : KindScope.Cluster);
        var desired = ManifestValidator.Validate(manifests, gk => scopes.GetValueOrDefault(gk), target.DefaultNamespace);
        var roles = desired.ToDictionary(d => d.Key, Role);
        var prepared = Diff.Order.ApplyOrder.Sort(desired, d => d.Key)
            .Select(d => Label(d, applySetId, resources.GetValueOrDefault((d.ApiVersion, d.Key.Kind))) with { Wave = roles[d.Key].Wave })
            .ToList();
        var hooks = prepared.Where(p => roles[p.Key] is { IsHook: true, Skipped: false }).Select(p => new PreparedHook(AsHook(p, applySetId), roles[p.Key]) { ApplySetId = applySetId, Adopt = target.Adopt }).ToList();
        return new Prepared(prepared.Where(p => !roles[p.Key].IsHook).ToList(), redactor) { Hooks = hooks };
    }

    private static ReleaseRole Role(DesiredObject d)
    {
        try
        {
            return ReleaseAnnotations.Read(d.Object);
        }
        catch (FormatException ex)
        {
            throw new ManifestException(d.Source, $"{d.Key}: {ex.Message}", ex);
        }
    }

    /// <summary>A hook is not a member: it carries no part-of label (so nothing prunes it), but names the set it ran for.</summary>
    private static PreparedObject AsHook(PreparedObject p, string applySetId)
    {
        var body = p.Body.DeepClone().AsObject();
        var labels = body["metadata"]!["labels"]!.AsObject();
        labels.Remove(ManifestValidator.PartOfLabel);
        labels[HookOfLabel] = applySetId;
        return p with { Body = body, AppliedHash = CanonicalJson.Hash(body) };
    }

    /// <summary>One discovery lookup per (apiVersion, kind) the revision uses; unknown kinds map to null.</summary>
    private async Task<Dictionary<(string, string), ApiResource?>> ResolveAsync(IReadOnlyList<Manifest> manifests, CancellationToken ct)
    {
        var resources = new Dictionary<(string, string), ApiResource?>();
        foreach (var m in manifests)
        {
            if (Text(m.Object["apiVersion"]) is { } apiVersion && Text(m.Object["kind"]) is { } kind && !resources.ContainsKey((apiVersion, kind)))
            {
                resources[(apiVersion, kind)] = await discovery.ResolveAsync(apiVersion, kind, ct);
            }
        }

        return resources;
    }

    private static PreparedObject Label(DesiredObject d, string applySetId, ApiResource? resource)
    {
        var body = d.Object.DeepClone().AsObject();
        var metadata = body["metadata"]!.AsObject();
        var labels = metadata["labels"] as JsonObject ?? [];
        labels[ManifestValidator.PartOfLabel] = applySetId;
        metadata["labels"] = labels;
        return new PreparedObject(d, body, CanonicalJson.Hash(body), resource);
    }

    /// <summary>A string field, or null for anything else (the validator reports wrong types with their location).</summary>
    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
