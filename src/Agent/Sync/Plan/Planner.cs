using System.Text.Json.Nodes;
using GitOps.Agent.Kube;
using GitOps.Diff.Drift;
using GitOps.Diff.Identity;
using GitOps.Diff.Masking;
using GitOps.Diff.Ownership;

namespace GitOps.Agent.Sync;

/// <summary>
/// Decides, per object, what applying would change. The cheap path first: when the manifest
/// hash and the hash of our owned live fields both equal what the inventory recorded, nothing
/// moved and no request is needed. Otherwise the server predicts with a dry-run apply and the
/// pure drift engine compares prediction and live. Rejections are verdicts, not exceptions, so a
/// pass reports every broken object at once.
/// </summary>
internal sealed class Planner(IClusterClient api, int parallelism)
{
    /// <summary>Annotation that lets the agent delete and recreate an object whose immutable fields changed.</summary>
    public const string RecreateAnnotation = "gitops.dev/recreate";

    public async Task<IReadOnlyList<Decision>> PlanAsync(
        IReadOnlyList<ObservedObject> objects, ApplySetInventory inventory, SyncTarget target, SecretRedactor redactor, CancellationToken ct)
    {
        var decisions = new Decision[objects.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, objects.Count), new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct }, async (i, token) =>
            decisions[i] = objects[i].Deferred ? new Decision.Defer(objects[i]) : await DecideAsync(objects[i], inventory, target, redactor, token));
        return decisions;
    }

    private async Task<Decision> DecideAsync(ObservedObject o, ApplySetInventory inventory, SyncTarget target, SecretRedactor redactor, CancellationToken ct)
    {
        if (OtherSet(o.Live, inventory.Id) is { } other)
        {
            return new Decision.Reject(o, $"{o.Key}: belongs to another ApplySet ({other}); remove it from one of the two targets");
        }

        if (o.Adopts && !target.Adopt)
        {
            return new Decision.Reject(o, $"{o.Key}: exists and is not managed by this target; the target does not adopt (adopt: false): delete it, or allow adoption");
        }

        o = KeepIgnoredLiveValues(o, target);
        var takeOver = Ownership.NeedsTakeOver(o.Live);
        if (!takeOver && Unmoved(o, inventory) is { } owned)
        {
            return new Decision.Unchanged(o, owned);
        }

        try
        {
            var predicted = await api.ApplyAsync(o.Prepared.Path, o.Prepared.Body, dryRun: true, ct);
            var drift = DriftCalculator.Compare(o.Key, o.Live, predicted, target.Ignore);
            return takeOver ? new Decision.TakeOver(o, drift)
                : drift.Action == SyncAction.Unchanged ? new Decision.Unchanged(o, ManagedFields.OwnedHash(o.Live!, KubeApi.FieldManager))
                : new Decision.Apply(o, drift);
        }
        catch (KubeApiException ex) when (ex.IsImmutableField && AllowsRecreate(o))
        {
            return await ValidateRecreateAsync(o, redactor, ct);
        }
        catch (KubeApiException ex)
        {
            var hint = ex.IsImmutableField ? $" (to let the agent delete and recreate it, annotate it {RecreateAnnotation}: \"true\")" : string.Empty;
            return new Decision.Reject(o, redactor.Redact($"{o.Key}: {ex.Message}{hint}"));
        }
    }

    /// <summary>Two targets applying one object would undo each other forever; the second one is refused.</summary>
    private static string? OtherSet(JsonObject? live, string applySetId) =>
        (string?)live?["metadata"]?["labels"]?[ManifestValidator.PartOfLabel] is { Length: > 0 } id && id != applySetId ? id : null;

    /// <summary>
    /// Fields under the target's ignore rules are sent with their live values, so an apply for
    /// another change never puts back what someone set by hand (or an autoscaler scaled).
    /// </summary>
    private static ObservedObject KeepIgnoredLiveValues(ObservedObject o, SyncTarget target) =>
        target.Ignore.Count == 0 || o.Live is null
            ? o
            : o with { Prepared = o.Prepared with { Body = IgnoreRule.WithLiveValues(target.Ignore, o.Key, o.Prepared.Body, o.Live) } };

    /// <summary>The recorded owned hash when neither the manifest nor our fields in the cluster moved; otherwise null.</summary>
    private static string? Unmoved(ObservedObject o, ApplySetInventory inventory) =>
        o.Live is not null
        && inventory.Members.TryGetValue(o.Key, out var member)
        && member.AppliedHash == o.Prepared.AppliedHash
        && member.OwnedHash == ManagedFields.OwnedHash(o.Live, KubeApi.FieldManager)
            ? member.OwnedHash
            : null;

    /// <summary>
    /// Deleting a live object is only allowed once its replacement is known to be valid: a dry-run
    /// create passes every check before the existence check, so AlreadyExists means "valid".
    /// </summary>
    private async Task<Decision> ValidateRecreateAsync(ObservedObject o, SecretRedactor redactor, CancellationToken ct)
    {
        try
        {
            await api.CreateAsync(o.Prepared.Resource!.Path(o.Key.Namespace), o.Prepared.Body, ct, dryRun: true);
        }
        catch (KubeApiException ex) when (!ex.IsAlreadyExists)
        {
            return new Decision.Reject(o, redactor.Redact($"{o.Key}: cannot be recreated: {ex.Message}"));
        }
        catch (KubeApiException)
        {
            // AlreadyExists: valid apart from existing, which the recreation deals with
        }

        return new Decision.Recreate(o);
    }

    private static bool AllowsRecreate(ObservedObject o) =>
        (string?)o.Prepared.Body["metadata"]?["annotations"]?[RecreateAnnotation] == "true";
}
