using System.CommandLine;
using GitOps.Agent.Git;
using GitOps.Agent.Kube;
using GitOps.Agent.Sync;
using GitOps.Diff.Health;
using GitOps.Diff.Render;

namespace GitOps.Agent.Cli;

/// <summary><c>gitops sync</c> (one reconcile pass) and <c>gitops diff</c> (what sync would change).</summary>
internal static class SyncCommand
{
    public static Command BuildSync()
    {
        var source = new SourceOptions();
        var dryRun = new Option<bool>("--dry-run") { Description = "Plan only: print what would change, write nothing" };
        var timeout = new Option<string?>("--timeout") { Description = "Wait this long for every object to be Healthy (e.g. 2m)" };
        var noStatus = new Option<bool>("--no-status") { Description = "Do not write the status note (nor Events) for the commit" };
        var cluster = new Option<string>("--cluster") { Description = "Cluster name in the status note", DefaultValueFactory = _ => "default" };
        var command = new Command("sync", "One reconcile pass: make the cluster equal to the commit; it exits when the pass ends (with --timeout, once Healthy or out of time)") { dryRun, timeout, noStatus, cluster };
        source.AddTo(command);
        command.SetAction((parse, ct) =>
        {
            var report = parse.GetValue(noStatus) || parse.GetValue(dryRun) ? null : parse.GetValue(cluster);
            return RunAsync(parse, source, parse.GetValue(dryRun), parse.GetValue(timeout), isDiff: false, report, ct);
        });
        return command;
    }

    public static Command BuildDiff()
    {
        var source = new SourceOptions();
        var command = new Command("diff", "What sync would change (Secret values masked); exit 1 when there is drift");
        source.AddTo(command);
        command.SetAction((parse, ct) => RunAsync(parse, source, dryRun: true, timeout: null, isDiff: true, reportAs: null, ct));
        return command;
    }

    /// <param name="reportAs">The cluster name to write the commit's status under; null writes no status.</param>
    private static async Task<int> RunAsync(ParseResult parse, SourceOptions o, bool dryRun, string? timeout, bool isDiff, string? reportAs, CancellationToken ct)
    {
        PassRequest request;
        HealthRuleSet rules;
        try
        {
            rules = parse.GetValue(o.HealthRulesFile) is { } file ? Hosting.HealthRulesConfig.Load(file) : HealthRuleSet.Empty;
            request = new PassRequest(o.SyncTargetOf(parse), o.Spec(parse))
            {
                Revision = parse.GetValue(o.Revision),
                DryRun = dryRun,
                Timeout = timeout is null ? null : Duration.Parse(timeout),
            };
        }
        catch (Exception ex) when (ex is FormatException or ManifestException or IOException)
        {
            return CliOutput.Error(ex.Message, 2);
        }

        PhaseClock.Mark("parsed");
        KubeApi api;
        try
        {
            // One pass: its stages' bound is the only one that matters, the process-wide one never binds first.
            api = KubeApi.Connect(parse.GetValue(o.Kubeconfig), parse.GetValue(o.Context), Math.Max(RequestGate.DefaultLimit, Parallelism(parse, o)));
        }
        catch (k8s.Exceptions.KubeConfigException ex)
        {
            return CliOutput.Error($"no cluster to talk to: {ex.Message} (set --kubeconfig or KUBECONFIG)", 2);
        }

        PhaseClock.Mark("kubeconfig read");
        using (api)
        {
            var outcome = await Runner(parse, o, api, reportAs, request.Target.ServiceAccount, rules).RunAsync(request, ct);
            if (outcome.Source is null)
            {
                return CliOutput.Error(outcome.Result.Message, 2); // a source error: no such branch, path, a symlink, a budget
            }

            PhaseClock.Mark("pass done");
            ReportWriter.Write(outcome.Result, parse.GetValue(o.Output)!, Console.Out);
            if (parse.GetValue(o.Stats))
            {
                var counts = api.Requests.Snapshot().OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"\"{r.Key}\":{r.Value}");
                Console.Error.WriteLine($"api-requests: {{{string.Join(',', counts)}}} total={api.Requests.Total} writes={api.Requests.Writes} peak-in-flight={api.Gate.Peak}");
            }

            return ExitCode(outcome.Result, isDiff);
        }
    }

    /// <summary>The same runner as the agent's, with the note and Events as its sinks (none for a dry run).</summary>
    /// <param name="serviceAccount">Impersonated for the pass (not for its inventory, nor the Events); null: the caller's own account.</param>
    /// <param name="rules">The --health-rules file's per-kind rules (the agent config's <c>health:</c>).</param>
    private static PassRunner Runner(ParseResult parse, SourceOptions o, KubeApi api, string? reportAs, string? serviceAccount, HealthRuleSet rules)
    {
        var repos = CacheLayout.Repositories(parse.GetValue(o.CacheDir)!);
        var options = new SyncEngineOptions { Parallelism = Parallelism(parse, o), HealthRules = rules };
        var renderer = new Render.ToolRenderer(o.RenderTools.Read(parse)); // --helm-binary, --kustomize-binary, --render-timeout
        var engine = serviceAccount is null
            ? new SyncEngine(api, options, TimeProvider.System, renderer: renderer)
            : new SyncEngine(api.Impersonating(serviceAccount), options, TimeProvider.System, own: (api, new Kube.Live.LiveState(api, options.Parallelism)), renderer: renderer);
        IPassReporter[] reporters = reportAs is null ? [] :
        [
            new NoteReporter(new GitNotesStatus(repos), reportAs, TimeProvider.System, WriteFence.None),
            new EventReporter(api, TimeProvider.System),
        ];
        return new PassRunner(new GitSource(repos), engine, reporters, (reporter, ex) =>
            Console.Error.WriteLine($"warning: {(reporter is NoteReporter ? "status note" : "Event")} not written: {UrlRedactor.Redact(ex.Message)}"));
    }

    private static int Parallelism(ParseResult parse, SourceOptions o) => Math.Clamp(parse.GetValue(o.Parallelism), 1, 64);

    private static int ExitCode(SyncResult result, bool isDiff) => result switch
    {
        { InputError: true } => 2,
        { Phase: SyncPhase.Failed } => isDiff ? 2 : 1,
        _ when isDiff => result.HasDrift ? 1 : 0,
        _ => 0,
    };
}
