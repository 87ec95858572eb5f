using System.Diagnostics;
using System.Globalization;
using GitOps.Agent.Kube;
using GitOps.Diff.Render;

namespace GitOps.Benchmarks;

/// <summary>
/// The API server's own ceiling for creating a set of objects: plain server-side-apply PATCHes
/// of the same manifests, in parallel, with nothing else (no dry-run, no inventory, no LISTs).
/// eng/bench.sh compares a first sync with it. Prints the wall time in seconds.
/// </summary>
internal static class Ceiling
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = args.Chunk(2).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : string.Empty, StringComparer.Ordinal);
        var dir = options["--path"];
        var parallel = int.Parse(options.GetValueOrDefault("--parallel", "8"), CultureInfo.InvariantCulture);
        var files = Directory.EnumerateFiles(dir, "*.yaml", SearchOption.AllDirectories)
            .Select(f => new ManifestFile(Path.GetRelativePath(dir, f), File.ReadAllBytes(f))).ToList();
        var manifests = ManifestRenderer.Render(files);
        using var api = KubeApi.Connect(options.GetValueOrDefault("--kubeconfig"));
        var discovery = new DiscoveryCache(api);
        var requests = new List<(string Path, System.Text.Json.Nodes.JsonObject Body)>();
        foreach (var m in manifests)
        {
            var resource = await discovery.ResolveAsync((string)m.Object["apiVersion"]!, (string)m.Object["kind"]!, CancellationToken.None)
                ?? throw new InvalidOperationException($"{m.Source}: kind not served");
            requests.Add((resource.Path((string?)m.Object["metadata"]!["namespace"], (string)m.Object["metadata"]!["name"]!), m.Object));
        }

        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (r, ct) =>
            await api.ApplyAsync(r.Path, r.Body, dryRun: false, ct));
        Console.WriteLine(clock.Elapsed.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture));
        return 0;
    }
}
