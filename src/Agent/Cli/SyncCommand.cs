using System.CommandLine;
using GitOps.Agent.Git;
using GitOps.Agent.Kube;
using GitOps.Agent.Sync;
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
        var noStatus = new Option<bool>("--no-status") { Description = "Do not write the status note on the commit" };
        var cluster = new Option<string>("--cluster") { Description = "Cluster name in the status note", DefaultValueFactory = _ => "default" };
        var command = new Command("sync", "One reconcile pass: make the cluster equal to the commit") { dryRun, timeout, noStatus, cluster };
        source.AddTo(command);
        command.SetAction((parse, ct) =>
        {
            var status = parse.GetValue(noStatus) || parse.GetValue(dryRun) ? null : new StatusNotes(source, parse, parse.GetValue(cluster)!);
            return RunAsync(parse, source, parse.GetValue(dryRun), parse.GetValue(timeout), isDiff: false, ct, status);
        });
        return command;
    }

    public static Command BuildDiff()
    {
        var source = new SourceOptions();
        var command = new Command("diff", "What sync would change (Secret values masked); exit 1 when there is drift");
        source.AddTo(command);
        command.SetAction((parse, ct) => RunAsync(parse, source, dryRun: true, timeout: null, isDiff: true, ct));
        return command;
    }

    private static async Task<int> RunAsync(
        ParseResult parse, SourceOptions o, bool dryRun, string? timeout, bool isDiff, CancellationToken ct, StatusNotes? status = null)
    {
        TimeSpan? wait;
        SourceRevision revision;
        SyncTarget target;
        try
        {
            target = o.SyncTargetOf(parse); // a bad --ignore-differences file is an input error (2), found before any fetch
            wait = timeout is null ? null : Duration.Parse(timeout);
            var git = new GitSource(Path.Combine(parse.GetValue(o.CacheDir)!, "repos"));
            revision = await git.GetRevisionAsync(o.Spec(parse), parse.GetValue(o.Revision), ct);
        }
        catch (Exception ex) when (ex is GitSourceException or FormatException)
        {
            return CliOutput.Error(ex.Message, 2);
        }

        try
        {
            using var api = KubeApi.Connect(parse.GetValue(o.Kubeconfig), parse.GetValue(o.Context));
            var engine = new SyncEngine(api, new SyncEngineOptions { Parallelism = Math.Clamp(parse.GetValue(o.Parallelism), 1, 64) }, TimeProvider.System);
            var files = revision.Files.Select(f => new ManifestFile(f.Path, f.Content)).ToList();
            var request = new SyncRequest(target, revision.CommitSha, files) { DryRun = dryRun, Timeout = wait };
            await (status?.WriteAsync(revision.CommitSha, null, ct) ?? Task.CompletedTask);
            var result = await engine.RunAsync(request, ct);
            ReportWriter.Write(result, parse.GetValue(o.Output)!, Console.Out);
            await (status?.WriteAsync(revision.CommitSha, result, ct) ?? Task.CompletedTask);
            if (parse.GetValue(o.Stats))
            {
                var counts = api.Requests.Snapshot().OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"\"{r.Key}\":{r.Value}");
                Console.Error.WriteLine($"api-requests: {{{string.Join(',', counts)}}} total={api.Requests.Total} writes={api.Requests.Writes}");
            }

            return ExitCode(result, isDiff);
        }
        catch (HttpRequestException ex)
        {
            return CliOutput.Error($"cannot reach the API server: {ex.Message}", 1);
        }
        catch (k8s.Exceptions.KubeConfigException ex)
        {
            return CliOutput.Error($"no cluster to talk to: {ex.Message} (set --kubeconfig or KUBECONFIG)", 2);
        }
    }

    private static int ExitCode(SyncResult result, bool isDiff) => result switch
    {
        { InputError: true } => 2,
        { Phase: SyncPhase.Failed } => isDiff ? 2 : 1,
        _ when isDiff => result.HasDrift ? 1 : 0,
        _ => 0,
    };
}
