using System.Security.Cryptography;
using System.Text;
using GitOps.Agent.Git;
using GitOps.Diff.Render;

namespace GitOps.Agent.Render;

/// <summary>
/// The real <see cref="IRenderer"/>: <c>kustomize build</c> (or <c>kubectl kustomize</c>) and
/// <c>helm template</c> run on a private copy of the repository (a fresh 0700 temp folder,
/// removed afterwards) in a clean environment, without network, with a timeout and an output
/// budget. Output is cached by everything that decides it.
/// </summary>
internal sealed class ToolRenderer : IRenderer
{
    private readonly RenderOptions options;
    private readonly RenderCache cache;
    private int runs;

    public ToolRenderer(RenderOptions options)
    {
        this.options = options;
        Tools = new Tools(options);
        cache = new RenderCache(options.CacheBytes);
        Dependencies = new HelmDependencies(new ChartCache(ChartCache.DefaultBytes)); // chart repositories (HelmDependencies.cs)
    }

    public Tools Tools { get; }

    /// <summary>Fetches chart dependencies from the target's repositories, and keeps what it fetched.</summary>
    public HelmDependencies Dependencies { get; }

    /// <summary>Tool runs so far (cache hits run none).</summary>
    public int Runs => Volatile.Read(ref runs);

    public async Task<IReadOnlyList<ManifestFile>> RenderAsync(RenderJob job, CancellationToken ct)
    {
        var what = $"target '{job.Target}': {(job.Kind == SourceKind.Helm ? "helm template" : "kustomize build")} of {Display(job.Path)}";
        var tool = await (job.Kind == SourceKind.Helm ? Tools.HelmAsync(ct) : Tools.KustomizeAsync(ct))
            ?? throw new RenderException($"target '{job.Target}': {Display(job.Path)} is a {(job.Kind == SourceKind.Helm ? "Helm chart" : "Kustomize folder")}, but {Tools.Advice(job.Kind)}");
        var key = job.TreeKey is null ? null : KeyOf(job, tool);
        if (key is not null && cache.TryGet(key, out var cached))
        {
            return cached;
        }

        var temp = Directory.CreateTempSubdirectory("gitops-render-").FullName; // mode 0700
        try
        {
            var repo = Path.Combine(temp, "repo");
            var home = Path.Combine(temp, "home");
            Directory.CreateDirectory(home);
            Directory.CreateDirectory(repo);
            try
            {
                await job.Export(repo, ct);
            }
            catch (GitSourceException ex)
            {
                throw new RenderException($"{what}: {ex.Message}", ex);
            }

            var args = job.Kind == SourceKind.Helm ? await HelmArgsAsync(job, repo, temp, what, ct) : KustomizeArgs(job, repo, tool);
            if (job.Kind == SourceKind.Helm)
            {
                // chart repositories: dependencies not vendored under charts/ are fetched first (HelmDependencies.cs)
                await Dependencies.PrepareAsync(new DependencyRun(tool.Path, Path.Combine(repo, job.Path), temp, home, options, what, job.Helm.Repositories, s => Rewrite(s, repo, temp)), ct);
            }

            Interlocked.Increment(ref runs);
            var result = await ToolProcess.RunAsync(tool.Path, args, repo, home, options, what, ct);
            if (result.ExitCode != 0)
            {
                var valuesFiles = job.Helm.ValuesFiles.Select(f => f.StartsWith('/') ? null : TreeExporter.Lexical(job.Path, f)).OfType<string>();
                var redactor = StderrSecrets.For(repo, job.Path, valuesFiles, job.Helm.Values);
                throw new RenderException($"{what} failed: {redactor.Redact(Rewrite(result.Stderr, repo, temp))}");
            }

            var files = job.Kind == SourceKind.Helm ? RenderedOutput.Helm(job.Path, result.Stdout) : RenderedOutput.Kustomize(job.Path, result.Stdout);
            if (key is not null)
            {
                cache.Put(key, files);
            }

            return files;
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    private static List<string> KustomizeArgs(RenderJob job, string repo, Tool tool)
    {
        KustomizeGuard.Check(repo, job.Path);
        return [tool.KubectlKustomize ? "kustomize" : "build", Relative(job.Path), "--load-restrictor", "LoadRestrictionsRootOnly"];
    }

    private static async Task<List<string>> HelmArgsAsync(RenderJob job, string repo, string temp, string what, CancellationToken ct)
    {
        if (!File.Exists(Path.Combine(repo, job.Path, SourceKinds.ChartFile)))
        {
            throw new RenderException($"{what}: {Display(job.Path)} holds no {SourceKinds.ChartFile}");
        }

        var args = new List<string> { "template", job.Helm.ReleaseName ?? job.Target, Relative(job.Path), "--namespace", job.Namespace, "--include-crds" };
        if (job.Capabilities.KubeVersion is { } version)
        {
            args.AddRange(["--kube-version", version]);
        }

        foreach (var apiVersion in job.Capabilities.ApiVersions)
        {
            args.AddRange(["--api-versions", apiVersion]);
        }

        foreach (var file in job.Helm.ValuesFiles)
        {
            var inside = file.StartsWith('/') ? null : TreeExporter.Lexical(job.Path, file);
            if (inside is null)
            {
                throw new RenderException($"{what}: values file '{file}' is outside the repository; values files must be files of the repository");
            }

            if (!File.Exists(Path.Combine(repo, inside)))
            {
                throw new RenderException($"{what}: values file '{inside}' does not exist in the commit");
            }

            args.AddRange(["--values", Relative(inside)]);
        }

        if (job.Helm.Values is { } values)
        {
            var inline = Path.Combine(temp, "values-inline.json");
            await File.WriteAllTextAsync(inline, values.ToJsonString(), ct);
            args.AddRange(["--values", inline]);
        }

        return args;
    }

    /// <summary>Temp paths in the tool's words become repository paths.</summary>
    internal static string Rewrite(string stderr, string repo, string temp) =>
        stderr.Trim().Replace(repo + "/", string.Empty, StringComparison.Ordinal).Replace(repo, ".", StringComparison.Ordinal)
            .Replace(temp, "<render>", StringComparison.Ordinal);

    private static string KeyOf(RenderJob job, Tool tool)
    {
        var text = string.Join(
            '\n',
            job.Kind, tool.Path, tool.Version, job.TreeKey, job.Path, job.Target, job.Namespace,
            job.Helm.ReleaseName, string.Join('\u0001', job.Helm.ValuesFiles), job.Helm.Values?.ToJsonString(), job.Capabilities.Key,
            HelmDependencies.KeyOf(job.Helm.Repositories));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static string Relative(string path) => path.Length == 0 ? "." : "./" + path;

    private static string Display(string path) => path.Length == 0 ? "the repository root" : path;
}
