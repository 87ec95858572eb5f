using System.Collections.Concurrent;
using GitOps.Agent.Git;
using GitOps.Agent.Sync;

namespace GitOps.Agent.Hosting.Web;

/// <summary>
/// Feeds the pages' <see cref="ViewStore"/> from every pass: Progressing when it starts writing,
/// then its verdict and objects, then the branch's history re-read from the local clone (the
/// notes reporter runs first, so the clone's notes ref already holds this pass's entry).
/// </summary>
internal sealed class ViewReporter(ViewStore store, CommitLog log, TimeProvider clock, WebOptions options) : IPassReporter
{
    /// <summary>Commits per target whose pass is kept for its commit page.</summary>
    public const int PassesKept = 20;

    private readonly ConcurrentDictionary<string, CommitPage> pages = new(StringComparer.Ordinal);

    public Task ProgressingAsync(PassContext pass, CancellationToken ct)
    {
        store.Update(pass.Target.Name, v => v with { Phase = TargetPhase.Progressing });
        return Task.CompletedTask;
    }

    public async Task FinishedAsync(PassContext pass, SyncResult result, bool infrastructure, CancellationToken ct)
    {
        var view = Pass(pass.Commit ?? result.Revision, result);
        store.Update(pass.Target.Name, v => Record(v, view, result, infrastructure));
        await RefreshHistoryAsync(pass.Target.Name, pass.Source, ct);
    }

    /// <summary>Re-reads one target's history from the local clone (a no-op read when its refs did not move).</summary>
    public async Task RefreshHistoryAsync(string target, GitSourceSpec source, CancellationToken ct)
    {
        var key = $"{target}\n{source.Repository}\n{source.Reference}\n{source.Path}";
        var page = await log.ReadAsync(source, options.CommitHistory, pages.GetValueOrDefault(key) ?? CommitPage.Empty, ct, target); // the pages show this target's entries only
        pages[key] = page;
        store.Update(target, v => ReferenceEquals(v.History, page) ? v : v with { History = page });
    }

    public static TargetView Record(TargetView view, PassView pass, SyncResult result, bool infrastructure)
    {
        // A commit's page tells what applying it did: the first Synced pass at it stays, and later
        // passes at the same commit (drift put back, nothing to do) only replace one that failed.
        var kept = view.PassAt(pass.Commit);
        var passes = infrastructure || pass.Commit.Length == 0 || kept is { Phase: TargetPhase.Synced }
            ? view.Passes
            : view.Passes.RemoveAll(p => p.Commit == pass.Commit).Insert(0, pass);
        return view with
        {
            Phase = pass.Phase,
            LiveCommit = result.ClusterRevision is { Length: > 0 } live ? live : view.LiveCommit,
            LastPass = pass,
            LastDrift = pass.HasDrift ? pass : view.LastDrift,
            Passes = passes.Count > PassesKept ? passes.RemoveRange(PassesKept, passes.Count - PassesKept) : passes,
        };
    }

    private PassView Pass(string commit, SyncResult result) => new(
        commit,
        result.Phase == SyncPhase.Synced ? TargetPhase.Synced : TargetPhase.Failed,
        result.Health,
        result.StatusMessage ?? result.Message,
        clock.GetUtcNow(),
        result.Objects.Select(o => new ObjectView(o.Key, o.Action, o.Health, o.HealthReason, o.Message, o.Changes.Select(c => c.Path).ToList()) { Wave = o.Wave }).ToList())
    {
        Hooks = result.Hooks,
    };
}
