using System.Text.Json.Nodes;
using GitOps.Agent.Kube;
using GitOps.Diff.Identity;
using GitOps.Diff.Masking;
using GitOps.Diff.Ownership;

namespace GitOps.Agent.Sync;

/// <summary>
/// Applies the writing decisions of one stage with server-side apply (in parallel: objects of a
/// stage do not depend on each other), taking over kubectl's fields first where decided, and
/// recreating objects whose immutable fields changed when their manifest allows it.
/// </summary>
internal sealed class Applier(IClusterClient api, SyncEngineOptions options, TimeProvider clock)
{
    private static readonly GroupKind CrdKind = new("apiextensions.k8s.io", "CustomResourceDefinition");

    public async Task<IReadOnlyList<ApplyOutcome>> ApplyAsync(IReadOnlyList<Decision> stage, SecretRedactor redactor, CancellationToken ct)
    {
        var writes = stage.Where(d => d.Writes).ToList();
        var outcomes = new ApplyOutcome[writes.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, writes.Count), new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = ct }, async (i, token) =>
            outcomes[i] = await ApplyOneAsync(writes[i], redactor, token));
        return await WaitEstablishedAsync(outcomes, ct);
    }

    private async Task<ApplyOutcome> ApplyOneAsync(Decision d, SecretRedactor redactor, CancellationToken ct)
    {
        try
        {
            if (d is Decision.TakeOver)
            {
                await Ownership.TakeOverAsync(api, d.Object, clock, ct);
            }

            if (d is Decision.Recreate)
            {
                await RecreateAsync(d.Prepared, ct);
            }

            var applied = await api.ApplyAsync(d.Prepared.Path, d.Prepared.Body, dryRun: false, ct);
            return new ApplyOutcome.Applied(d, applied, ManagedFields.OwnedHash(applied, KubeApi.FieldManager));
        }
        catch (KubeApiException ex)
        {
            return new ApplyOutcome.Failed(d, redactor.Redact($"{d.Key}: {ex.Message}"));
        }
    }

    /// <summary>Waits until every applied CRD of the stage is Established, so its kind can be served.</summary>
    private async Task<IReadOnlyList<ApplyOutcome>> WaitEstablishedAsync(ApplyOutcome[] outcomes, CancellationToken ct)
    {
        for (var i = 0; i < outcomes.Length; i++)
        {
            if (outcomes[i] is ApplyOutcome.Applied { } applied && applied.Key.GroupKind == CrdKind)
            {
                outcomes[i] = await EstablishedAsync(applied, ct);
            }
        }

        return outcomes;
    }

    private async Task<ApplyOutcome> EstablishedAsync(ApplyOutcome.Applied applied, CancellationToken ct)
    {
        var current = applied.Result;
        var established = await Poll.UntilAsync(clock, options.EstablishTimeout, options.EstablishPollInterval, async () =>
        {
            if (Established(current))
            {
                return true;
            }

            current = await api.GetAsync(applied.Decision.Prepared.Path, ct) ?? current;
            return false;
        }, ct);
        return established
            ? applied with { Result = current }
            : new ApplyOutcome.Failed(applied.Decision, $"{applied.Key}: not Established after {options.EstablishTimeout.TotalSeconds:0}s");
    }

    private static bool Established(JsonObject crd) =>
        (crd["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>()
            .Any(c => (string?)c["type"] == "Established" && (string?)c["status"] == "True");

    private async Task RecreateAsync(PreparedObject p, CancellationToken ct)
    {
        await api.DeleteAsync(p.Path, ct);
        if (!await Poll.UntilAsync(clock, options.EstablishTimeout, options.EstablishPollInterval, async () => await api.GetAsync(p.Path, ct) is null, ct))
        {
            throw new KubeApiException(System.Net.HttpStatusCode.Conflict, "Timeout", $"deleted for recreation but still present after {options.EstablishTimeout.TotalSeconds:0}s");
        }
    }
}
