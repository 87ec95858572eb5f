using System.Diagnostics;
using System.Globalization;
using GitOps.Agent.Git;
using GitOps.Agent.Render;
using GitOps.TestSupport.Helm;

namespace GitOps.Benchmarks;

/// <summary>
/// eng/bench.sh's chart repository section: a chart whose dependency comes from a real HTTP chart
/// repository on loopback (lighttpd, basic auth), rendered by the agent (a) cold: fetch + render,
/// (b) a new tree with the same Chart.lock: package cache hit, helm template only, (c) the same tree:
/// render cache hit; beside the peer, what a user runs: <c>helm dependency build</c> + <c>helm template</c>.
/// Prints one tab-separated line per case: case, median seconds, runs.
/// </summary>
internal static class ChartRepositoryPasses
{
    private const int Rounds = 5;

    public static async Task<int> RunAsync()
    {
        var work = Directory.CreateTempSubdirectory("gitops-bench-chartrepo-").FullName;
        using var server = new ChartRepositoryServer();
        try
        {
            server.Publish(ChartFolders.Lib(work, "1.0.0"));
            var chart = Path.Combine(work, "repo", "app");
            ChartFolders.App(chart, server.Url, "^1.0.0");
            File.WriteAllText(Path.Combine(chart, "Chart.lock"), server.LockOf(chart));
            var repository = new ChartRepository("charts", server.Url, server.SecretFile("u", ChartRepositoryServer.User), server.SecretFile("p", ChartRepositoryServer.Password), null, false);
            var round = 0;
            RenderJob Job(string? tree) => new("bench", SourceKind.Helm, "app", tree, (d, ct) => FolderExport.CopyAsync(Path.Combine(work, "repo"), "app", d, GitOptions.Default, ct))
            {
                Helm = HelmSettings.None with { Repositories = [repository] },
            };

            var peerArgs = server.HelmArgs();
            Report("peer: helm dependency build + helm template", await Median(() =>
            {
                var copy = ChartFolders.Copy(chart);
                Helm.Run(copy, ["dependency", "build", ".", .. peerArgs]);
                Helm.Run(copy, "template", "bench", ".");
                Directory.Delete(copy, recursive: true);
                return Task.CompletedTask;
            }));
            Report("agent: cold (fetch + helm template)", await Median(() => new ToolRenderer(RenderOptions.FromEnvironment()).RenderAsync(Job(null), CancellationToken.None)));
            var warm = new ToolRenderer(RenderOptions.FromEnvironment());
            await warm.RenderAsync(Job("tree-0"), CancellationToken.None);
            Report("agent: new tree, same Chart.lock (package cached)", await Median(() => warm.RenderAsync(Job($"tree-{++round}"), CancellationToken.None)));
            Report("agent: same tree (render cached)", await Median(() => warm.RenderAsync(Job("tree-0"), CancellationToken.None)));
            Console.Error.WriteLine($"fetches by the warm renderer: {warm.Dependencies.Fetches}");
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<double> Median(Func<Task> run)
    {
        var samples = new List<double>();
        for (var i = 0; i < Rounds; i++)
        {
            var clock = Stopwatch.StartNew();
            await run();
            samples.Add(clock.Elapsed.TotalSeconds);
        }

        samples.Sort();
        return samples[Rounds / 2];
    }

    private static void Report(string name, double seconds) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}\t{seconds:0.0000}\t{Rounds}"));
}
