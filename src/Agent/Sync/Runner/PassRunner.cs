using GitOps.Agent.Git;
using GitOps.Agent.Kube;
using GitOps.Diff.Render;

namespace GitOps.Agent.Sync;

/// <summary>What to sync: the target, its source, and how.</summary>
internal sealed record PassRequest(SyncTarget Target, GitSourceSpec Source)
{
    /// <summary>A commit SHA or tag to sync instead of the source's branch head.</summary>
    public string? Revision { get; init; }

    /// <summary>The commit to use without asking git (a watch event woke the pass and the commit is fresh).</summary>
    public SourceRevision? Known { get; init; }

    /// <summary>
    /// The branch head an ls-remote just found (the agent's shared look at the branch): the source
    /// reads that commit from its local copy without asking git again. Ignored when <see cref="Revision"/> is set.
    /// </summary>
    public string? Head { get; init; }

    /// <summary>The last commit read, to keep correcting drift from while git cannot be reached.</summary>
    public SourceRevision? Fallback { get; init; }

    public bool DryRun { get; init; }

    public TimeSpan? Timeout { get; init; }

    /// <inheritdoc cref="SyncRequest.Preempt"/>
    public CancellationToken Preempt { get; init; }

    /// <summary>
    /// The pass follows the health of this earlier result of the same revision (its members' status
    /// changed since): when it finds nothing to do, it is reported as that result with the health
    /// now seen, so the note keeps the release's counts and hooks. See <see cref="HealthFollowUp"/>.
    /// </summary>
    public SyncResult? FollowUp { get; init; }

    /// <summary>
    /// Called once the engine is done with the cluster, before the final report is written: the pass
    /// gives its slot of the pool back while its note waits for the next notes push (a second or
    /// more), so 1,000 targets are not throttled by the notes ref instead of by the work. (The
    /// Progressing note is not waited for at all: <see cref="NoteReporter"/> settles it with the final one.)
    /// </summary>
    public Action? EngineDone { get; init; }
}

/// <summary>The outcome of a pass, and the commit it ran at (null when git gave none).</summary>
/// <param name="GitError">Git could not be reached or read; the pass ran from <see cref="PassRequest.Fallback"/> or not at all.</param>
internal sealed record PassOutcome(SyncResult Result, SourceRevision? Source, string? GitError);

/// <summary>Runs one pass; <see cref="PassRunner"/> is the real one, tests of scheduling fake it.</summary>
internal interface IPassExecutor
{
    Task<PassOutcome> RunAsync(PassRequest request, CancellationToken ct);
}

/// <summary>
/// One pass, the same for <c>gitops sync</c> and the agent: source → engine → report sinks.
/// Every exit path reports the truth: Progressing only once the revision was validated by the
/// cluster, and after it always a final entry — Synced, Failed with the reason, Failed
/// "cancelled", or Failed "internal error" (then rethrown for the caller to log) — unless this
/// replica lost its Lease, in which case it writes nothing at all.
/// </summary>
internal sealed class PassRunner : IPassExecutor
{
    private static readonly TimeSpan FinalReportTimeout = TimeSpan.FromSeconds(10);
    private readonly IGitSource git;
    private readonly Func<SyncTarget, SyncRequest, CancellationToken, Task<SyncResult>> engine;
    private readonly Func<SyncTarget, CancellationToken, Task<ApplySetInventory>>? inventory;
    private readonly IReadOnlyList<IPassReporter> reporters;
    private readonly Action<IPassReporter, Exception>? reporterFailed;

    /// <param name="engines">The engine of a target: its own for a target that impersonates a ServiceAccount.</param>
    public PassRunner(IGitSource git, Func<SyncTarget, SyncEngine> engines, IReadOnlyList<IPassReporter> reporters, Action<IPassReporter, Exception>? reporterFailed = null)
        : this(git, (target, sync, ct) => engines(target).RunAsync(sync, ct), reporters, reporterFailed)
    {
        inventory = (target, ct) => engines(target).ReadInventoryAsync(target, ct);
    }

    public PassRunner(IGitSource git, SyncEngine engine, IReadOnlyList<IPassReporter> reporters, Action<IPassReporter, Exception>? reporterFailed = null)
        : this(git, _ => engine, reporters, reporterFailed)
    {
    }

    /// <param name="engine">Runs the engine of a target on one request; tests of the exit paths script it.</param>
    internal PassRunner(IGitSource git, Func<SyncTarget, SyncRequest, CancellationToken, Task<SyncResult>> engine, IReadOnlyList<IPassReporter> reporters, Action<IPassReporter, Exception>? reporterFailed = null)
    {
        (this.git, this.engine, this.reporters, this.reporterFailed) = (git, engine, reporters, reporterFailed);
    }

    public async Task<PassOutcome> RunAsync(PassRequest request, CancellationToken ct)
    {
        SourceRevision source;
        string? gitError = null;
        // The inventory does not depend on the commit: read it while git is read (a CLI run's first
        // request, whose connection and TLS handshake then overlap the git work too).
        var inventoryRead = request.Known is null && inventory is not null ? Observed(inventory(request.Target, ct)) : null;
        try
        {
            PhaseClock.Mark("git: resolve and read");
            source = request.Known ?? (request.Revision is null && request.Head is { } head
                ? await git.GetRevisionAtAsync(request.Source, head, ct)
                : await git.GetRevisionAsync(request.Source, request.Revision, ct));
            PhaseClock.Mark($"git: read {source.Files.Count} files");
        }
        catch (GitSourceException ex) when (request.Fallback is { } fallback && ex.CommitSha is null)
        {
            (source, gitError) = (fallback, UrlRedactor.Redact(ex.Message)); // keep correcting drift from the last commit read
        }
        catch (GitSourceException ex)
        {
            var failed = SyncResult.Failure(ex.CommitSha ?? string.Empty, request.Target.Name, $"cannot read the source: {UrlRedactor.Redact(ex.Message)}");
            await FinishAsync(new PassContext(request.Target, request.Source, ex.CommitSha), failed, infrastructure: ex.CommitSha is null, ct);
            return new PassOutcome(failed, null, failed.Message);
        }

        var context = new PassContext(request.Target, request.Source, source.CommitSha);
        if (await UntrustedAsync(request.Target, source, ct) is { } untrusted)
        {
            var refused = SyncResult.Failure(source.CommitSha, request.Target.Name, untrusted);
            await FinishAsync(context, refused, infrastructure: false, ct);
            return new PassOutcome(refused, source, gitError);
        }

        var result = await RunEngineAsync(request, source, context, inventoryRead, ct);
        return new PassOutcome(result, source, gitError);
    }

    /// <summary>A read whose failure, when no engine awaits it (git failed first), is not an unobserved exception.</summary>
    private static Task<T> Observed<T>(Task<T> read)
    {
        _ = read.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return read;
    }

    private async Task<SyncResult> RunEngineAsync(PassRequest request, SourceRevision source, PassContext context, Task<ApplySetInventory>? inventoryRead, CancellationToken ct)
    {
        var progressing = false;
        var sync = new SyncRequest(request.Target, source.CommitSha, source.Files.Select(f => new ManifestFile(f.Path, f.Content)).ToList())
        {
            DryRun = request.DryRun,
            Timeout = request.Timeout,
            Preempt = request.Preempt,
            Render = RenderJobOf(request, source),
            InventoryRead = inventoryRead,
            Applying = async token =>
            {
                progressing = true;
                await EachAsync(r => r.ProgressingAsync(context, token));
            },
        };
        try
        {
            var result = HealthFollowUp.Merge(request.FollowUp, await engine(request.Target, sync, ct));
            request.EngineDone?.Invoke();
            await FinishAsync(context, result, infrastructure: false, ct);
            return result;
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !ct.IsCancellationRequested))
        {
            // The API server is unreachable (or timed out): nothing more was judged, the cluster keeps its state.
            var failed = SyncResult.Failure(source.CommitSha, request.Target.Name, $"cannot reach the API server: {ex.Message}") with { ClusterUnreachable = true, Interrupted = progressing };
            await FinishAsync(context, failed, infrastructure: !progressing, ct);
            return failed;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested && progressing)
        {
            // Shutting down mid-pass: the Progressing entry must not stay behind. A replica that lost
            // its Lease is fenced, so this write is refused for it, as every other write.
            var cancelled = SyncResult.Failure(source.CommitSha, request.Target.Name, "cancelled: the pass was stopped before it finished (the next pass resumes)") with { Interrupted = true };
            using var bounded = new CancellationTokenSource(FinalReportTimeout);
            await FinishAsync(context, cancelled, infrastructure: false, bounded.Token);
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException) // a lost fence is one too: it writes nothing more
        {
            // A bug or an unexpected failure: the pass still ends with a final entry (a Progressing
            // one must not stay behind), then the caller logs it and retries. Only the type is
            // told on the commit: an unexpected message may quote anything, a Secret value too.
            var failed = SyncResult.Failure(source.CommitSha, request.Target.Name, $"internal error ({ex.GetType().Name}): the pass stopped; the next one retries") with { Interrupted = progressing };
            using var bounded = new CancellationTokenSource(FinalReportTimeout);
            await FinishAsync(context, failed, infrastructure: !progressing, bounded.Token);
            throw;
        }
    }

    /// <summary>Why the commit may not be synced (its signature), checked on the commit resolved here, before rendering; null when it may.</summary>
    private static async Task<string?> UntrustedAsync(SyncTarget target, SourceRevision source, CancellationToken ct)
    {
        if (target.Verify is not { } verify)
        {
            return null;
        }

        try
        {
            return await CommitVerifier.ProblemAsync(source, verify, ct);
        }
        catch (Exception ex) when (ex is IOException or System.ComponentModel.Win32Exception or UnauthorizedAccessException or TimeoutException)
        {
            return $"cannot verify the signature of {Revisions.Short(source.CommitSha)}: {ex.Message}";
        }
    }

    /// <summary>A job for a Kustomize folder or Helm chart (detected, or stated by the target); null for plain manifests.</summary>
    private Render.RenderJob? RenderJobOf(PassRequest request, SourceRevision source)
    {
        var settings = request.Target.Render;
        var kind = settings.Kind ?? source.Render?.Kind ?? SourceKind.Plain;
        if (kind == SourceKind.Plain || source.Render is not { } render)
        {
            return null;
        }

        var spec = request.Source;
        var commit = source.CommitSha;
        return new Render.RenderJob(request.Target.Name, kind, render.Path, render.TreeKey, (folder, ct) => git.ExportAsync(spec, commit, folder, ct))
        {
            Helm = settings.Helm,
            Kustomize = settings.Kustomize,
            Namespace = request.Target.DefaultNamespace,
            Fingerprint = (paths, ct) => git.FingerprintAsync(spec, commit, paths, ct),
        };
    }

    private Task FinishAsync(PassContext context, SyncResult result, bool infrastructure, CancellationToken ct) =>
        EachAsync(r => r.FinishedAsync(context, result, infrastructure, ct));

    private async Task EachAsync(Func<IPassReporter, Task> report)
    {
        foreach (var reporter in reporters)
        {
            try
            {
                await report(reporter);
            }
            catch (FenceLostException)
            {
                throw; // this replica must stop writing altogether
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                reporterFailed?.Invoke(reporter, ex);
            }
        }
    }
}
