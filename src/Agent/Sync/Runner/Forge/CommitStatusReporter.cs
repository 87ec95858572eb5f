using System.Collections.Concurrent;
using GitOps.Agent.Kube;

namespace GitOps.Agent.Sync.Forge;

/// <summary>
/// Posts each pass's outcome as a commit status on the target's forge (GitHub, GitLab, Gitea):
/// pending when a pass starts writing a commit, then success or failure. It follows the note's
/// rules: nothing is posted when the commit already shows that status (the forge's listing is
/// read first, so a restart or another replica does not repeat it), and a failure of the
/// infrastructure never replaces a verdict already on the commit. A post that fails throws to
/// the runner, which counts and logs it; the sync itself is never failed by a forge.
/// The pending post is started, not awaited (as <see cref="NoteReporter"/>'s Progressing note): a
/// slow or retried forge must not hold the pass while it applies. <see cref="FinishedAsync"/> waits
/// for it before posting the outcome, so a commit's statuses reach the forge in order (a forge keeps
/// no call order of its own), and throws its failure from there.
/// </summary>
internal sealed class CommitStatusReporter(
    HttpClient http, string cluster, string? publicUrl, IReadOnlyDictionary<string, CommitStatusConfig> targets, TimeProvider clock, IWriteFence fence, ForgeOptions? options = null)
    : IPassReporter
{
    private readonly ForgeOptions options = options ?? new ForgeOptions();
    private readonly ConcurrentDictionary<string, Posted> last = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> pending = new(StringComparer.Ordinal);

    /// <summary>Forget what was posted for these targets: another replica may have posted since (a new term of their Lease).</summary>
    public void Forget(IEnumerable<string> targets)
    {
        foreach (var target in targets)
        {
            last.TryRemove(target, out _);
            pending.TryRemove(target, out _);
        }
    }

    public Task ProgressingAsync(PassContext pass, CancellationToken ct)
    {
        if (pass.Commit is not { Length: > 0 } commit || last.GetValueOrDefault(pass.Target.Name)?.Commit == commit || !targets.ContainsKey(pass.Target.Name))
        {
            return Task.CompletedTask; // correcting drift on a commit already reported: its verdict stands
        }

        fence.EnsureHeld(); // a replica that lost the target's Lease stops here, at once, as for the note
        pending[pass.Target.Name] = ReportAsync(pass, commit, CommitState.Pending, StatusDescription.Started, infrastructure: false, ct);
        return Task.CompletedTask;
    }

    public async Task FinishedAsync(PassContext pass, SyncResult result, bool infrastructure, CancellationToken ct)
    {
        var failed = pending.TryRemove(pass.Target.Name, out var started) ? await SettleAsync(started) : null;
        if (pass.Commit is { Length: > 0 } commit && !(infrastructure && last.GetValueOrDefault(pass.Target.Name)?.Commit == commit))
        {
            var state = result.Phase == SyncPhase.Synced ? CommitState.Success : CommitState.Failure;
            await ReportAsync(pass, commit, state, StatusDescription.Of(result), infrastructure, ct);
        }

        if (failed is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failed); // a pending post that failed is told as before, once the outcome is out
        }
    }

    /// <summary>Waits for a pending post; returns its failure (a cancelled one is superseded by the outcome; a lost fence is thrown at once).</summary>
    private static async Task<Exception?> SettleAsync(Task post)
    {
        try
        {
            await post;
            return null;
        }
        catch (OperationCanceledException ex) when (ex is not FenceLostException)
        {
            return null;
        }
        catch (Exception ex) when (ex is not FenceLostException)
        {
            return ex;
        }
    }

    private async Task ReportAsync(PassContext pass, string commit, CommitState state, string description, bool infrastructure, CancellationToken ct)
    {
        if (targets.GetValueOrDefault(pass.Target.Name) is not { } config)
        {
            return;
        }

        var wanted = new ForgeStatus(config.ContextFor(cluster, pass.Target.Name), state, description)
        {
            TargetUrl = publicUrl is null ? null : $"{publicUrl.TrimEnd('/')}/targets/{Uri.EscapeDataString(pass.Target.Name)}/commits/{commit}",
        };
        var posted = new Posted(commit, wanted);
        if (last.GetValueOrDefault(pass.Target.Name) == posted)
        {
            return;
        }

        var api = new ForgeApi(config);
        var call = new ForgeCall(http, api, await TokenAsync(config, ct), clock, options);
        var existing = api.Latest(await call.GetAsync(api.ListUri(commit, wanted.Context), ct), wanted.Context);
        var keep = wanted.SameAs(existing) || (infrastructure && existing?.State is CommitState.Success or CommitState.Failure);
        if (!keep)
        {
            fence.EnsureHeld();
            await call.PostAsync(api.PostUri(commit), api.Body(wanted), ct);
        }

        last[pass.Target.Name] = keep && !wanted.SameAs(existing) ? new Posted(commit, existing!) : posted;
    }

    /// <summary>Read on every post, so a rotated Secret is used at once.</summary>
    private static async Task<string> TokenAsync(CommitStatusConfig config, CancellationToken ct)
    {
        string token;
        try
        {
            token = (await File.ReadAllTextAsync(config.TokenFile, ct)).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ForgeException($"cannot read the forge token file {config.TokenFile}: {ex.GetType().Name}", inner: ex);
        }

        return token.Length > 0 ? token : throw new ForgeException($"the forge token file {config.TokenFile} is empty");
    }

    /// <summary>What this reporter last saw on a target's commit; records compare by value.</summary>
    private sealed record Posted(string Commit, ForgeStatus Status);
}
