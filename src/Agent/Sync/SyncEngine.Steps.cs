using GitOps.Agent.Kube;
using GitOps.Diff.Identity;
using GitOps.Diff.Json;
using GitOps.Diff.Masking;
using GitOps.Diff.Prune;
using GitOps.Diff.Render;

namespace GitOps.Agent.Sync;

/// <summary>The steps <see cref="SyncEngine.RunAsync"/> composes, in the order it calls them.</summary>
internal sealed partial class SyncEngine
{
    private async Task<Dictionary<GroupKind, KindScope>> ResolveScopesAsync(IReadOnlyList<Manifest> manifests, CancellationToken ct)
    {
        var scopes = new Dictionary<GroupKind, KindScope>();
        var kinds = manifests
            .Select(m => (ApiVersion: Text(m.Object["apiVersion"]), Kind: Text(m.Object["kind"])))
            .Where(k => k.ApiVersion is not null && k.Kind is not null)
            .Distinct();
        foreach (var (apiVersion, kind) in kinds)
        {
            var resource = await discovery.ResolveAsync(apiVersion!, kind!, ct);
            if (resource is not null)
            {
                scopes[resource.GroupKind] = resource.Namespaced ? KindScope.Namespaced : KindScope.Cluster;
            }
        }

        return scopes;
    }

    /// <summary>A string field, or null for anything else (the validator reports wrong types with their location).</summary>
    private static string? Text(System.Text.Json.Nodes.JsonNode? node) =>
        node is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private async Task<List<PlannedObject>> PrepareAsync(IReadOnlyList<DesiredObject> desired, string applySetId, CancellationToken ct)
    {
        var planned = new List<PlannedObject>(desired.Count);
        var resources = new Dictionary<(string, string), ApiResource?>();
        foreach (var d in Diff.Order.ApplyOrder.Sort(desired, d => d.Key))
        {
            if (!resources.TryGetValue((d.ApiVersion, d.Key.Kind), out var resource))
            {
                resources[(d.ApiVersion, d.Key.Kind)] = resource = await discovery.ResolveAsync(d.ApiVersion, d.Key.Kind, ct);
            }

            var body = d.Object.DeepClone().AsObject();
            var metadata = body["metadata"]!.AsObject();
            var labels = metadata["labels"] as System.Text.Json.Nodes.JsonObject ?? [];
            labels[ManifestValidator.PartOfLabel] = applySetId;
            metadata["labels"] = labels;
            var p = new PlannedObject(d, body, CanonicalJson.Hash(body)) { Resource = resource };
            p.Deferred = p.Resource is null;
            planned.Add(p);
        }

        return planned;
    }

    /// <summary>Lists live state for the revision and for prune candidates; defers objects in namespaces not created yet.</summary>
    private async Task<PruneContext> LoadLiveAsync(Pass pass, CancellationToken ct)
    {
        var desiredKeys = pass.Objects.Select(p => p.Key).ToHashSet();
        var candidates = new Dictionary<ResourceKey, ApiResource>();
        foreach (var m in pass.Inventory.Members.Values.Where(m => !desiredKeys.Contains(m.Key)))
        {
            if (await discovery.ResolveAsync(m.ApiVersion, m.Key.Kind, ct) is { } resource)
            {
                candidates[m.Key] = resource;
            }
        }

        var collections = pass.Objects.Where(p => !p.Deferred)
            .Select(p => new LiveState.Collection(p.Resource!, p.Key.Namespace, pass.Inventory.Members.ContainsKey(p.Key)))
            .Concat(candidates.Select(c => new LiveState.Collection(c.Value, c.Key.Namespace, MembersOnly: true)));
        var live = await liveState.LoadAsync(collections, pass.Inventory.Id, ct);
        var newNamespaces = pass.Objects
            .Where(p => p.Key.Kind == "Namespace" && p.Key.Group.Length == 0 && !live.ContainsKey(p.Key))
            .Select(p => p.Key.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var p in pass.Objects)
        {
            p.Live = live.GetValueOrDefault(p.Key);
            p.Deferred |= p.Key.Namespace is { } ns && newNamespaces.Contains(ns);
        }

        return new PruneContext(candidates, live, desiredKeys);
    }

    /// <summary>Before the first stage after the definitions, judge every object that had to wait for them.</summary>
    private async Task<SyncResult?> PlanDeferredAsync(Pass pass, IReadOnlyList<PlannedObject> stage, CancellationToken ct)
    {
        var waiting = pass.Objects.Where(p => p.Deferred && p.Drift.Action == Diff.Drift.SyncAction.Unchanged && p.Error is null).ToList();
        if (waiting.Count == 0 || stage.All(p => StageOf(p) == Diff.Order.ApplyOrder.StageDefinitions))
        {
            return null;
        }

        foreach (var apiVersion in waiting.Where(p => p.Resource is null).Select(p => p.Desired.ApiVersion).Distinct())
        {
            discovery.Invalidate(apiVersion); // once per version, now that the CRDs are Established
        }

        foreach (var p in waiting)
        {
            p.Resource ??= await discovery.ResolveAsync(p.Desired.ApiVersion, p.Key.Kind, ct);
            p.Error = p.Resource is null ? $"{p.Key}: the server does not serve {p.Desired.ApiVersion} {p.Key.Kind} (is its CRD in the revision and valid?)" : null;
        }

        await planner.PlanAsync(waiting.Where(p => p.Error is null), pass.Inventory, pass.Request.Target, pass.Redactor, ct);
        return pass.Rejected("rejected by the server after the definitions stage; only Namespaces and CRDs were applied");
    }

    private static int StageOf(PlannedObject p) => Diff.Order.ApplyOrder.Stage(p.Key.GroupKind);

    /// <summary>
    /// Before applying: the old members plus everything about to be applied, still at the old
    /// revision, so a pass that dies half-way cannot orphan objects it created.
    /// </summary>
    private Task RecordIntentAsync(Pass pass, CancellationToken ct) =>
        WriteInventoryAsync(pass, pass.Inventory.Members.Values, pass.Inventory.Revision, ct);

    /// <summary>After pruning: this revision's objects, plus the old members prune kept, at this revision.</summary>
    private Task RecordOutcomeAsync(Pass pass, IReadOnlySet<ResourceKey> kept, CancellationToken ct) =>
        WriteInventoryAsync(pass, pass.Inventory.Members.Values.Where(m => kept.Contains(m.Key)), pass.Request.Revision, ct);

    /// <summary>Writes the parent only when members or revision changed: a no-op pass writes nothing.</summary>
    private async Task WriteInventoryAsync(Pass pass, IEnumerable<InventoryMember> carried, string? revision, CancellationToken ct)
    {
        var members = carried.ToDictionary(m => m.Key);
        foreach (var p in pass.Objects)
        {
            members[p.Key] = MemberOf(p, pass.Inventory.Members.GetValueOrDefault(p.Key));
        }

        var next = pass.Inventory with { Revision = revision, Members = members };
        if (next.SerializeMembers() != pass.Inventory.SerializeMembers() || next.Revision != pass.Inventory.Revision)
        {
            await inventories.WriteAsync(pass.Request.Target, next, ct);
            pass.Inventory = next;
        }
    }

    private static InventoryMember MemberOf(PlannedObject p, InventoryMember? old)
    {
        var unknown = new InventoryMember(p.Key, p.Desired.ApiVersion, "-", "-");
        if (SecretMasker.IsSecret(p.Key.Group, p.Key.Kind))
        {
            // No hashes for Secrets: the inventory is readable by anyone who reads ConfigMaps, and an
            // unsalted hash of a Secret is a dictionary attack away from its value.
            return unknown;
        }

        return p.Error is null && p.OwnedHash is not null
            ? new InventoryMember(p.Key, p.Desired.ApiVersion, p.AppliedHash, p.OwnedHash)
            : old ?? unknown; // failed: keep what we knew, so it stays tracked for prune
    }

    private async Task<SyncResult> FinishAsync(Pass pass, PruneContext prune, CancellationToken ct)
    {
        var target = pass.Request.Target;
        var decisions = PrunePlanner.Plan(
            prune.Candidates.Keys.Concat(pass.Inventory.Members.Keys.Where(k => !prune.Desired.Contains(k) && !prune.Candidates.ContainsKey(k))),
            prune.Desired,
            Pruner.Lookup(prune.Live),
            pass.Inventory.Id,
            new PruneOptions(target.Prune, target.AllowEmpty, target.PruneProtectedKinds));
        var pruned = await pruner.PruneAsync(decisions, prune.Candidates, prune.Live, pass.Request.DryRun, pass.Redactor, ct);
        if (!pass.Request.DryRun)
        {
            await RecordOutcomeAsync(pass, pruned.Kept, ct);
        }

        var health = await healthWaiter.AssessAsync(pass.Objects, pass.Request.DryRun ? null : pass.Request.Timeout, ct);
        var emptyGuard = prune.Desired.Count == 0 && decisions.Any(d => d.Verdict == PruneVerdict.Skip) && !target.AllowEmpty;
        return pass.Complete(health, pruned.Results, emptyGuard);
    }

    private sealed record PruneContext(
        IReadOnlyDictionary<ResourceKey, ApiResource> Candidates,
        IReadOnlyDictionary<ResourceKey, System.Text.Json.Nodes.JsonObject> Live,
        IReadOnlySet<ResourceKey> Desired);
}
