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
    private readonly LoadedCache cache;
    private int runs;

    public ToolRenderer(RenderOptions options)
    {
        this.options = options;
        Tools = new Tools(options);
        cache = new LoadedCache(options.CacheBytes);
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
        var settings = SettingsKey(job, tool);
        if (await cache.TryGetAsync(settings, job, ct) is { } cached)
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

            var (args, loaded) = job.Kind == SourceKind.Helm ? await HelmArgsAsync(job, repo, temp, what, ct) : KustomizeArgs(job, repo, tool);
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
                var message = Rewrite(result.Stderr, repo, temp);
                var at = job.Kind == SourceKind.Kustomize ? KustomizeErrors.Locate(message, job.Path, repo) : null;
                message = UrlRedactor.Redact(job.Kind == SourceKind.Kustomize ? KustomizeErrors.Clean(message) : message);
                throw new RenderException($"{what} failed: {(at is null ? string.Empty : at + ": ")}{redactor.Redact(message)}");
            }

            var files = job.Kind == SourceKind.Helm ? RenderedOutput.Helm(job.Path, result.Stdout) : RenderedOutput.Kustomize(job.Path, result.Stdout);
            await cache.PutAsync(settings, job, loaded, files, ct);
            return files;
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    /// <returns>The arguments, and the repository paths the build loads (null when it loads remote resources: then the whole tree keys the cache).</returns>
    private static (List<string> Args, IReadOnlyList<string>? Loaded) KustomizeArgs(RenderJob job, string repo, Tool tool)
    {
        var reached = KustomizeGuard.Reachable(repo, job.Path, job.Kustomize.AllowRemoteResources);
        return ([tool.KubectlKustomize ? "kustomize" : "build", Relative(job.Path), "--load-restrictor", "LoadRestrictionsRootOnly"],
            reached.Remote ? null : [.. reached.Folders, .. reached.Files]);
    }

    private static async Task<(List<string> Args, IReadOnlyList<string>? Loaded)> HelmArgsAsync(RenderJob job, string repo, string temp, string what, CancellationToken ct)
    {
        if (!File.Exists(Path.Combine(repo, job.Path, SourceKinds.ChartFile)))
        {
            throw new RenderException($"{what}: {Display(job.Path)} holds no {SourceKinds.ChartFile}");
        }

        var args = new List<string> { "template", job.Helm.ReleaseName ?? job.Target, Relative(job.Path), "--namespace", job.Namespace, "--include-crds" };
        var loaded = new List<string> { job.Path };
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
            loaded.Add(inside);
        }

        if (job.Helm.Values is { } values)
        {
            var inline = Path.Combine(temp, "values-inline.json");
            await File.WriteAllTextAsync(inline, values.ToJsonString(), ct);
            args.AddRange(["--values", inline]);
        }

        return (args, loaded);
    }

    /// <summary>Temp paths in the tool's words become repository paths.</summary>
    internal static string Rewrite(string stderr, string repo, string temp) =>
        stderr.Trim().Replace(repo + "/", string.Empty, StringComparison.Ordinal).Replace(repo, ".", StringComparison.Ordinal)
            .Replace(temp, "<render>", StringComparison.Ordinal);

    /// <summary>All that decides the output besides the repository's content (which <see cref="LoadedCache"/> adds).</summary>
    private static string SettingsKey(RenderJob job, Tool tool)
    {
        var text = string.Join(
            '\n',
            job.Kind, tool.Path, tool.Version, job.Path, job.Target, job.Namespace, job.Kustomize.AllowRemoteResources,
            job.Helm.ReleaseName, string.Join('\u0001', job.Helm.ValuesFiles), job.Helm.Values?.ToJsonString(), job.Capabilities.Key,
            HelmDependencies.KeyOf(job.Helm.Repositories));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static string Relative(string path) => path.Length == 0 ? "." : "./" + path;

    private static string Display(string path) => path.Length == 0 ? "the repository root" : path;
}
