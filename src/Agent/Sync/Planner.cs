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
/// pure drift engine compares prediction and live. Rejections are collected, not thrown, so a
/// pass reports every broken object at once.
/// </summary>
internal sealed class Planner(KubeApi api, int parallelism)
{
    /// <summary>Annotation that lets the agent delete and recreate an object whose immutable fields changed.</summary>
    public const string RecreateAnnotation = "gitops.dev/recreate";

    public Task PlanAsync(
        IEnumerable<PlannedObject> objects, ApplySetInventory inventory, SyncTarget target, SecretRedactor redactor, CancellationToken ct) =>
        Parallel.ForEachAsync(objects, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct }, async (p, token) =>
        {
            if (OtherSet(p.Live, inventory.Id) is { } other)
            {
                p.Error = $"{p.Key}: belongs to another ApplySet ({other}); remove it from one of the two targets";
                return;
            }

            p.TakeOver = Ownership.NeedsTakeOver(p.Live);
            if (Unmoved(p, inventory))
            {
                p.Drift = DriftResult.Unchanged;
                p.OwnedHash = inventory.Members[p.Key].OwnedHash;
                return;
            }

            await DryRunAsync(p, target, redactor, token);
        });

    /// <summary>Two targets applying one object would undo each other forever; the second one is refused.</summary>
    private static string? OtherSet(JsonObject? live, string applySetId) =>
        (string?)live?["metadata"]?["labels"]?[ManifestValidator.PartOfLabel] is { Length: > 0 } id && id != applySetId ? id : null;

    private static bool Unmoved(PlannedObject p, ApplySetInventory inventory) =>
        p.Live is not null
        && !p.TakeOver
        && inventory.Members.TryGetValue(p.Key, out var member)
        && member.AppliedHash == p.AppliedHash
        && member.OwnedHash == ManagedFields.OwnedHash(p.Live, KubeApi.FieldManager);

    private async Task DryRunAsync(PlannedObject p, SyncTarget target, SecretRedactor redactor, CancellationToken ct)
    {
        try
        {
            var predicted = await api.ApplyAsync(p.Path, p.Body, dryRun: true, ct);
            p.Drift = DriftCalculator.Compare(p.Key, p.Live, predicted, target.Ignore);
            if (p.Live is not null && p.Drift.Action == SyncAction.Unchanged)
            {
                p.OwnedHash = ManagedFields.OwnedHash(p.Live, KubeApi.FieldManager);
            }
        }
        catch (KubeApiException ex) when (ex.IsImmutableField && AllowsRecreate(p))
        {
            await ValidateRecreateAsync(p, redactor, ct);
        }
        catch (KubeApiException ex)
        {
            var hint = ex.IsImmutableField ? $" (to let the agent delete and recreate it, annotate it {RecreateAnnotation}: \"true\")" : string.Empty;
            p.Error = redactor.Redact($"{p.Key}: {ex.Message}{hint}");
        }
    }

    /// <summary>
    /// Deleting a live object is only allowed once its replacement is known to be valid: a dry-run
    /// create passes every check before the existence check, so AlreadyExists means "valid".
    /// </summary>
    private async Task ValidateRecreateAsync(PlannedObject p, SecretRedactor redactor, CancellationToken ct)
    {
        try
        {
            await api.CreateAsync(p.Resource!.Path(p.Key.Namespace), p.Body, ct, dryRun: true);
        }
        catch (KubeApiException ex) when (!ex.IsAlreadyExists)
        {
            p.Error = redactor.Redact($"{p.Key}: cannot be recreated: {ex.Message}");
            return;
        }
        catch (KubeApiException)
        {
            // AlreadyExists: valid apart from existing, which the recreation deals with
        }

        p.Recreate = true;
        p.Drift = new DriftResult(SyncAction.Configured, []);
    }

    private static bool AllowsRecreate(PlannedObject p) =>
        (string?)p.Body["metadata"]?["annotations"]?[RecreateAnnotation] == "true";
}
