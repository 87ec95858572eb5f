using System.Text.Json.Nodes;
using GitOps.Agent.Kube;
using GitOps.Diff.Masking;
using GitOps.Diff.Release;

namespace GitOps.Agent.Sync;

/// <summary>
/// Runs hooks: one phase's hooks wave by wave (the hooks of a wave at once), each replacing the
/// object of its name left by an earlier run (deleted, and gone, before it is created: a Job's
/// template is immutable, so a new revision's hook is never an update) — only this target's own
/// hook, or an unmanaged object it adopts (<see cref="HookClaims"/>; the plan refused the rest
/// before anything was written, this checks again right before the delete), waited for until it
/// succeeds or fails, then deleted as its policy says. A wave with a failed hook ends the phase.
/// </summary>
internal sealed class HookRunner(IClusterClient api, IDiscovery discovery, SyncEngineOptions options, TimeProvider clock)
{
    public async Task<IReadOnlyList<HookResult>> RunPhaseAsync(
        IReadOnlyList<PreparedHook> hooks, HookPhase phase, TimeSpan timeout, SecretRedactor redactor, CancellationToken ct)
    {
        var results = new List<HookResult>();
        foreach (var wave in ReleaseOrder.HookWaves(hooks, h => h.Role, h => h.Key, phase))
        {
            if (results.Any(r => r.Outcome == HookOutcome.Failed))
            {
                results.AddRange(wave.Select(h => new HookResult(h.Key, phase, HookOutcome.Skipped, "not run: an earlier hook failed")));
                continue;
            }

            results.AddRange(await RunWaveAsync(wave, phase, timeout, redactor, ct));
        }

        return results;
    }

    /// <summary>What <paramref name="hook"/> may do about the object now under its name (its kind must be served).</summary>
    public async Task<HookClaim> ClaimAsync(PreparedHook hook, CancellationToken ct) => hook.Claim(await api.GetAsync(hook.Object.Path, ct));

    /// <summary>
    /// Asks the server whether it would create <paramref name="hook"/> (a dry-run create, so a Job's
    /// immutable template never matters): null when it would, or when what it says is only about this
    /// moment — the name is taken (the run replaces it), or the hook's Namespace is one the revision
    /// creates. Anything else (invalid, forbidden) is the server's refusal, naming the hook.
    /// </summary>
    public async Task<string?> DryRunAsync(PreparedHook hook, IReadOnlySet<string> namespacesCreated, SecretRedactor redactor, CancellationToken ct)
    {
        var resource = hook.Object.Resource ?? throw new InvalidOperationException($"{hook.Key}: kind not resolved");
        try
        {
            await api.CreateAsync(resource.Path(hook.Key.Namespace), hook.Object.Body, ct, dryRun: true);
            return null;
        }
        catch (KubeApiException ex) when (ex.IsAlreadyExists || (ex.IsNotFound && hook.Key.Namespace is { } ns && namespacesCreated.Contains(ns)))
        {
            return null;
        }
        catch (KubeApiException ex) when ((int)ex.Status is >= 400 and < 500 && !ex.IsConflict)
        {
            return redactor.Redact($"{string.Join(",", hook.Role.Hooks)} hook {hook.Key}: rejected by the server: {ex.Message}");
        }
    }

    /// <summary>Runs hooks of one wave at once; each result names the hook and, when it failed, why.</summary>
    public async Task<IReadOnlyList<HookResult>> RunWaveAsync(
        IReadOnlyList<PreparedHook> wave, HookPhase phase, TimeSpan timeout, SecretRedactor redactor, CancellationToken ct) =>
        await Task.WhenAll(wave.Select(h => RunOneAsync(h, phase, timeout, redactor, ct)));

    private async Task<HookResult> RunOneAsync(PreparedHook hook, HookPhase phase, TimeSpan timeout, SecretRedactor redactor, CancellationToken ct)
    {
        if (hook.Object.Resource is null && await discovery.ResolveAsync(hook.Object.Desired.ApiVersion, hook.Key.Kind, ct) is { } resource)
        {
            hook = hook with { Object = hook.Object with { Resource = resource } }; // its CRD came with the revision, in an earlier wave
        }

        if (hook.Object.Resource is null)
        {
            return new HookResult(hook.Key, phase, HookOutcome.Failed, $"{phase} hook {hook.Key}: the server does not serve {hook.Object.Desired.ApiVersion} {hook.Key.Kind}");
        }

        var path = hook.Object.Path;
        try
        {
            if (await ReplaceAsync(hook, path, ct) is { } refused)
            {
                return new HookResult(hook.Key, phase, HookOutcome.Failed, redactor.Redact($"{phase} {refused}"));
            }

            var current = await api.ApplyAsync(path, hook.Object.Body, dryRun: false, ct);
            var progress = HookProgress.Of(current);
            await Poll.UntilAsync(clock, timeout, options.HealthPollInterval, async () =>
            {
                progress = HookProgress.Of(current);
                if (progress.State != HookState.Running)
                {
                    return true;
                }

                current = await api.GetAsync(path, ct) ?? current;
                progress = HookProgress.Of(current);
                return progress.State != HookState.Running;
            }, ct);
            return await FinishAsync(hook, phase, path, current, progress, timeout, redactor, ct);
        }
        catch (KubeApiException ex)
        {
            return new HookResult(hook.Key, phase, HookOutcome.Failed, redactor.Redact($"{phase} hook {hook.Key}: {ex.Message}"));
        }
    }

    private async Task<HookResult> FinishAsync(
        PreparedHook hook, HookPhase phase, string path, JsonObject current, HookProgress progress, TimeSpan timeout, SecretRedactor redactor, CancellationToken ct)
    {
        var succeeded = progress.State == HookState.Succeeded;
        var message = progress.State switch
        {
            HookState.Succeeded => $"{phase} hook {hook.Key} succeeded",
            HookState.Failed => $"{phase} hook {hook.Key} {progress.Reason}{await PodReasonAsync(current, ct)}",
            _ => $"{phase} hook {hook.Key} did not finish within {timeout.TotalSeconds:0}s ({progress.Reason})",
        };
        if (progress.State != HookState.Running && hook.Role.DeleteAfter(succeeded))
        {
            await api.DeleteAsync(path, ct);
        }

        return new HookResult(hook.Key, phase, succeeded ? HookOutcome.Succeeded : HookOutcome.Failed, redactor.Redact(message));
    }

    /// <summary>For a Job: the termination reason of the last of its pods that failed.</summary>
    private async Task<string> PodReasonAsync(JsonObject current, CancellationToken ct)
    {
        if ((string?)current["kind"] != "Job" || (string?)current["metadata"]?["uid"] is not { } uid)
        {
            return string.Empty;
        }

        var ns = (string?)current["metadata"]?["namespace"];
        var pods = await api.ListAsync($"/api/v1/namespaces/{ns}/pods", $"controller-uid={uid}", ct);
        var reason = (pods["items"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(p => (string?)p["status"]?["phase"] == "Failed")
            .OrderByDescending(p => (string?)p["metadata"]?["creationTimestamp"], StringComparer.Ordinal)
            .Select(p => $"pod {(string?)p["metadata"]?["name"]}: {HookProgress.Termination(p)}")
            .FirstOrDefault();
        return reason is null ? string.Empty : $"; {reason}";
    }

    /// <summary>
    /// Deletes what an earlier run left under this name (that very object: by uid), and waits until
    /// it is gone; or, when the object there is not the hook's to replace, says why and touches nothing.
    /// </summary>
    private async Task<string?> ReplaceAsync(PreparedHook hook, string path, CancellationToken ct)
    {
        var live = await api.GetAsync(path, ct);
        var claim = hook.Claim(live);
        if (claim.Verdict == HookClaimVerdict.Refuse)
        {
            return claim.Reason;
        }

        if (live is null || !await api.DeleteAsync(path, ct, new JsonObject { ["uid"] = (string?)live["metadata"]?["uid"] }))
        {
            return null;
        }

        if (!await Poll.UntilAsync(clock, options.EstablishTimeout, options.EstablishPollInterval, async () => await api.GetAsync(path, ct) is null, ct))
        {
            throw new KubeApiException(System.Net.HttpStatusCode.Conflict, "Timeout", $"the previous run's object is still present {options.EstablishTimeout.TotalSeconds:0}s after it was deleted");
        }

        return null;
    }
}
