using System.Text.Json.Nodes;
using GitOps.Agent.Kube;
using GitOps.Diff.Identity;
using GitOps.Diff.Masking;
using GitOps.Diff.Ownership;

namespace GitOps.Agent.Sync;

/// <summary>
/// Applies the drifted objects of one stage with server-side apply (in parallel: objects of a
/// stage do not depend on each other), taking over kubectl's fields first where needed and
/// recreating objects whose immutable fields changed when their manifest allows it.
/// </summary>
internal sealed class Applier(KubeApi api, int parallelism, TimeProvider clock)
{
    private static readonly TimeSpan EstablishTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private static readonly GroupKind CrdKind = new("apiextensions.k8s.io", "CustomResourceDefinition");

    public Task ApplyAsync(IEnumerable<PlannedObject> stage, SecretRedactor redactor, CancellationToken ct) =>
        Parallel.ForEachAsync(stage.Where(p => p.NeedsApply), new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct }, async (p, token) =>
        {
            try
            {
                if (p.TakeOver)
                {
                    await Ownership.TakeOverAsync(api, p, clock, token);
                }

                if (p.Recreate)
                {
                    await RecreateAsync(p, token);
                }

                p.Applied = await api.ApplyAsync(p.Path, p.Body, dryRun: false, token);
                p.OwnedHash = ManagedFields.OwnedHash(p.Applied, KubeApi.FieldManager);
            }
            catch (KubeApiException ex)
            {
                p.Error = redactor.Redact($"{p.Key}: {ex.Message}");
            }
        });

    /// <summary>Waits until every applied CRD of the stage is Established, so its kind can be served.</summary>
    public async Task WaitEstablishedAsync(IEnumerable<PlannedObject> stage, CancellationToken ct)
    {
        var crds = stage.Where(p => p.Key.GroupKind == CrdKind && p.Applied is not null && p.Error is null).ToList();
        foreach (var p in crds)
        {
            var established = await Poll.UntilAsync(clock, EstablishTimeout, PollInterval, async () =>
            {
                if (Established(p.Applied!))
                {
                    return true;
                }

                p.Applied = await api.GetAsync(p.Path, ct) ?? p.Applied;
                return false;
            }, ct);
            if (!established)
            {
                p.Error = $"{p.Key}: not Established after {EstablishTimeout.TotalSeconds:0}s";
            }
        }
    }

    private static bool Established(JsonObject crd) =>
        (crd["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>()
            .Any(c => (string?)c["type"] == "Established" && (string?)c["status"] == "True");

    private async Task RecreateAsync(PlannedObject p, CancellationToken ct)
    {
        await api.DeleteAsync(p.Path, ct);
        if (!await Poll.UntilAsync(clock, EstablishTimeout, PollInterval, async () => await api.GetAsync(p.Path, ct) is null, ct))
        {
            throw new KubeApiException(System.Net.HttpStatusCode.Conflict, "Timeout", $"deleted for recreation but still present after {EstablishTimeout.TotalSeconds:0}s");
        }
    }
}
