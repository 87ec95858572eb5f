using System.Diagnostics;
using System.Globalization;
using GitOps.Agent.Git;
using GitOps.Agent.Kube;
using GitOps.Agent.Render;
using GitOps.Agent.Sync;

namespace GitOps.Benchmarks;

/// <summary>
/// eng/bench.sh's render section: a 50-service Kustomize repository and a 50-service chart,
/// rendered cold (a fresh renderer: copy of the tree + tool run) and cached (same key), and a
/// no-op pass of the Helm target against a plain folder of the same objects. Prints one
/// tab-separated line per case: case, median seconds, runs.
/// </summary>
internal static class RenderPasses
{
    private const int Services = 50;
    private const int Rounds = 5;
    private const int NoOpRounds = 21;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = args.Chunk(2).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : string.Empty, StringComparer.Ordinal);
        var work = Directory.CreateTempSubdirectory("gitops-bench-render-").FullName;
        try
        {
            var repo = Generate(Path.Combine(work, "repo"), options.GetValueOrDefault("--namespace", "bench-render"));
            var git = new GitSource(Path.Combine(work, "cache"));
            var before = Git(repo, "rev-parse", "HEAD~1");
            foreach (var (name, kind, path) in new[] { ("kustomize", SourceKind.Kustomize, "overlays/bench"), ("helm", SourceKind.Helm, "chart") })
            {
                var spec = new GitSourceSpec(repo, "main", path);
                var source = await git.GetRevisionAsync(spec, null, CancellationToken.None);
                var earlier = await git.GetRevisionAsync(spec, before, CancellationToken.None);
                RenderJob Job(SourceRevision at) => new("bench", kind, path, at.Render!.TreeKey, (d, ct) => git.ExportAsync(spec, at.CommitSha, d, ct))
                {
                    Fingerprint = (paths, ct) => git.FingerprintAsync(spec, at.CommitSha, paths, ct),
                };
                Report($"render {name} cold", await Median(async () => await new ToolRenderer(RenderOptions.FromEnvironment()).RenderAsync(Job(source), CancellationToken.None)));
                var warm = new ToolRenderer(RenderOptions.FromEnvironment());
                await warm.RenderAsync(Job(source), CancellationToken.None);
                Report($"render {name} cached", await Median(async () => await warm.RenderAsync(Job(source), CancellationToken.None)));
                var elsewhere = new List<double>();
                for (var i = 0; i < Rounds; i++)
                {
                    var renderer = new ToolRenderer(RenderOptions.FromEnvironment());
                    await renderer.RenderAsync(Job(earlier), CancellationToken.None);
                    elsewhere.Add(await Time(() => renderer.RenderAsync(Job(source), CancellationToken.None)));
                    if (renderer.Runs != 1)
                    {
                        throw new InvalidOperationException($"render {name}: a commit outside the loaded paths ran the tool again");
                    }
                }

                Report($"render {name} after a commit elsewhere (cached)", MedianOf(elsewhere));
            }

            if (options.GetValueOrDefault("--kubeconfig") is { Length: > 0 } kubeconfig)
            {
                using var api = KubeApi.Connect(kubeconfig);
                var ns = options.GetValueOrDefault("--namespace", "bench-render");
                // Both first passes before any timing (a first pass leaves the controllers busy with
                // its Deployments for a while), then the no-op passes interleaved, alternating which
                // goes first: the two share whatever the server is doing.
                var passes = new List<(string Name, PassRunner Runner, PassRequest Request, List<double> Samples)>();
                foreach (var (name, path) in new[] { ("plain", "plain"), ("helm", "chart") })
                {
                    var engine = new SyncEngine(api, new SyncEngineOptions(), TimeProvider.System);
                    var runner = new PassRunner(git, engine, []);
                    var request = new PassRequest(new SyncTarget($"bench-{name}", "default", ns, Prune: true) { Source = $"{repo}#{path}" }, new GitSourceSpec(repo, "main", path));
                    var first = await runner.RunAsync(request, CancellationToken.None);
                    Console.Error.WriteLine($"{name} first pass: {first.Result.Phase} {first.Result.Message}");
                    if (first.Result.Phase != SyncPhase.Synced)
                    {
                        throw new InvalidOperationException($"the first {name} pass did not sync: {first.Result.Message}");
                    }

                    passes.Add((name, runner, request, []));
                }

                await Task.Delay(TimeSpan.FromSeconds(5));
                for (var i = 0; i < NoOpRounds; i++)
                {
                    foreach (var (_, runner, request, samples) in i % 2 == 0 ? passes : passes.AsEnumerable().Reverse())
                    {
                        samples.Add(await Time(() => runner.RunAsync(request, CancellationToken.None)));
                    }
                }

                foreach (var (name, _, _, samples) in passes)
                {
                    Report($"no-op pass {name}", MedianOf(samples), samples.Count);
                }
            }

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
            samples.Add(await Time(run));
        }

        return MedianOf(samples);
    }

    private static async Task<double> Time(Func<Task> run)
    {
        var clock = Stopwatch.StartNew();
        await run();
        return clock.Elapsed.TotalSeconds;
    }

    private static double MedianOf(List<double> samples)
    {
        samples.Sort();
        return samples[samples.Count / 2];
    }

    private static void Report(string name, double seconds, int rounds = Rounds) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}\t{seconds:0.0000}\t{rounds}"));

    /// <summary>One git repository: base/svc-N (Deployment, Service, generated ConfigMap) under one overlay; the same as a chart and as plain files.</summary>
    private static string Generate(string root, string ns)
    {
        var overlay = new List<string>();
        for (var i = 0; i < Services; i++)
        {
            Write(root, $"base/svc-{i}/kustomization.yaml", $"resources: [app.yaml]\nconfigMapGenerator:\n  - name: svc-{i}-settings\n    literals: [INDEX={i}]\n");
            Write(root, $"base/svc-{i}/app.yaml", App($"svc-{i}", ns));
            Write(root, $"plain/svc-{i}.yaml", App($"svc-{i}", ns));
            overlay.Add($"../../base/svc-{i}");
        }

        Write(root, "overlays/bench/kustomization.yaml", $"namespace: {ns}\nlabels: [{{pairs: {{env: bench}}}}]\nresources:\n{string.Concat(overlay.Select(o => $"  - {o}\n"))}");
        Write(root, "chart/Chart.yaml", "apiVersion: v2\nname: bench\nversion: 0.1.0\n");
        Write(root, "chart/values.yaml", $"services: {Services}\n");
        Write(root, "chart/templates/apps.yaml", "{{- range $i := until (int .Values.services) }}\n---\n" + App("chart-svc-{{ $i }}", "{{ $.Release.Namespace }}") + "{{- end }}\n");
        Write(root, "plain/ns.yaml", $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n");
        Git(root, "init", "-q", "-b", "main");
        Git(root, "add", "-A");
        Git(root, "-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "-q", "-m", "bench");
        Write(root, "docs/notes.md", "a commit outside every target\n");
        Git(root, "add", "-A");
        Git(root, "-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "-q", "-m", "docs");
        return root;
    }

    private static string App(string name, string ns) => $"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {name}
          namespace: {ns}
        spec:
          replicas: 1
          selector: {"{"}matchLabels: {"{"}app: {name}{"}}"}
          template:
            metadata: {"{"}labels: {"{"}app: {name}{"}}"}
            spec:
              containers:
                - {"{"}name: app, image: "registry.example.com/app:1.0"{"}"}
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: {name}
          namespace: {ns}
        spec:
          selector: {"{"}app: {name}{"}"}
          ports: [{"{"}port: 80{"}"}]

        """;

    private static void Write(string root, string path, string text)
    {
        var file = Path.Combine(root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, text);
    }

    private static string Git(string dir, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = dir, UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var p = Process.Start(start)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return output.Trim();
    }
}
