using System.Text.Json.Nodes;
using GitOps.Agent.Kube;
using GitOps.Agent.Kube.Live;
using GitOps.Diff.Identity;

namespace GitOps.Agent.Sync;

/// <summary>
/// A prepared object with what the cluster holds under its key. <see cref="Deferred"/>: it cannot
/// be judged yet, because its kind or its namespace comes with this very revision.
/// </summary>
internal sealed record ObservedObject(PreparedObject Prepared, JsonObject? Live, bool Deferred)
{
    public ResourceKey Key => Prepared.Key;

    /// <summary>It exists, is no member of the target and carries no membership label: applying it adopts it.</summary>
    public bool Adopts { get; init; }
}

/// <summary>
/// What the Observe stage saw: the revision's objects with their live state, and the previous
/// members the revision no longer holds, with their live state where it could be read.
/// </summary>
/// <param name="Members">The inventory's members when observed: only these are judged for pruning.</param>
internal sealed record Observation(
    IReadOnlyList<ObservedObject> Objects,
    IReadOnlySet<ResourceKey> Members,
    IReadOnlyDictionary<ResourceKey, ApiResource> PruneCandidates,
    IReadOnlyDictionary<ResourceKey, JsonObject> Live);

/// <summary>Reads live state for a revision with one LIST (or watch snapshot) per collection.</summary>
internal sealed class Observer(IDiscovery discovery, ILiveSource live, IClusterClient api)
{
    /// <summary>
    /// Members are read through our label; one missing there was deleted, or relabelled by
    /// another target. A GET tells which, so the planner refuses to take it from the other set
    /// instead of the two targets taking it from each other forever.
    /// </summary>
    private async Task ReadMissingMembersAsync(IReadOnlyList<PreparedObject> prepared, ApplySetInventory inventory, Dictionary<ResourceKey, JsonObject> state, CancellationToken ct)
    {
        foreach (var p in prepared.Where(p => p.Resource is not null && inventory.Members.ContainsKey(p.Key) && !state.ContainsKey(p.Key)))
        {
            if (await api.GetAsync(p.Path, ct) is { } found)
            {
                state[p.Key] = found;
            }
        }
    }

    /// <summary>
    /// A collection the target's account may not read (an impersonated target's RBAC) refuses the
    /// pass, naming the objects of the revision, or members, that live there.
    /// </summary>
    private async Task<Dictionary<ResourceKey, JsonObject>> LoadAsync(
        IEnumerable<LiveState.Collection> collections, IReadOnlyList<PreparedObject> prepared, Dictionary<ResourceKey, ApiResource> candidates, string applySetId, CancellationToken ct)
    {
        try
        {
            return await live.LoadAsync(collections, applySetId, ct);
        }
        catch (KubeApiException ex) when (ex.IsForbidden && ex.Path is { } path)
        {
            var there = prepared.Where(p => p.Resource?.Path(p.Key.Namespace) == path).Select(p => p.Key)
                .Concat(candidates.Where(c => c.Value.Path(c.Key.Namespace) == path).Select(c => c.Key))
                .Select(k => k.ToString()).ToList();
            var what = there.Count == 0 ? path : string.Join(", ", there.Take(5)) + (there.Count > 5 ? $" and {there.Count - 5} more" : string.Empty);
            throw new KubeApiException(ex.Status, ex.Reason, $"{what}: forbidden to read: {ex.Message}") { Path = path };
        }
    }

    private static string? PartOf(JsonObject live) =>
        (string?)live["metadata"]?["labels"]?[Diff.Identity.ManifestValidator.PartOfLabel] is { Length: > 0 } id ? id : null;

    public async Task<Observation> ObserveAsync(IReadOnlyList<PreparedObject> prepared, ApplySetInventory inventory, CancellationToken ct)
    {
        var desiredKeys = prepared.Select(p => p.Key).ToHashSet();
        var candidates = new Dictionary<ResourceKey, ApiResource>();
        foreach (var m in inventory.Members.Values.Where(m => !desiredKeys.Contains(m.Key)))
        {
            if (await discovery.ResolveAsync(m.ApiVersion, m.Key.Kind, ct) is { } resource)
            {
                candidates[m.Key] = resource;
            }
        }

        var collections = prepared.Where(p => p.Resource is not null)
            .Select(p => inventory.Members.ContainsKey(p.Key)
                ? new LiveState.Collection(p.Resource!, p.Key.Namespace, MembersOnly: true)
                : new LiveState.Collection(p.Resource!, p.Key.Namespace, MembersOnly: false) { NewNames = [p.Key.Name] })
            .Concat(candidates.Select(c => new LiveState.Collection(c.Value, c.Key.Namespace, MembersOnly: true)));
        var state = await LoadAsync(collections, prepared, candidates, inventory.Id, ct);
        await ReadMissingMembersAsync(prepared, inventory, state, ct);
        var newNamespaces = prepared
            .Where(p => p.Key.Kind == "Namespace" && p.Key.Group.Length == 0 && !state.ContainsKey(p.Key))
            .Select(p => p.Key.Name).ToHashSet(StringComparer.Ordinal);
        var objects = prepared
            .Select(p => new ObservedObject(p, state.GetValueOrDefault(p.Key), p.Resource is null || (p.Key.Namespace is { } ns && newNamespaces.Contains(ns)))
            {
                Adopts = state.GetValueOrDefault(p.Key) is { } live && !inventory.Members.ContainsKey(p.Key) && PartOf(live) is null,
            })
            .ToList();
        return new Observation(objects, inventory.Members.Keys.ToHashSet(), candidates, state);
    }
}
