using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.Agent.Git;

namespace GitOps.Agent.Render;

/// <summary>A tool found on disk, and the version it reports (part of the render cache's key).</summary>
/// <param name="Path">The absolute path of the binary.</param>
/// <param name="KubectlKustomize">The binary is kubectl; Kustomize is its <c>kustomize</c> subcommand.</param>
internal sealed record Tool(string Path, string Version, bool KubectlKustomize);

/// <summary>Finds the configured tools and asks each once for its version.</summary>
internal sealed class Tools(RenderOptions options)
{
    private readonly ConcurrentDictionary<string, Task<Tool?>> found = new(StringComparer.Ordinal);

    public Task<Tool?> KustomizeAsync(CancellationToken ct) => FindAsync(options.KustomizePath, SourceKind.Kustomize, ct);

    public Task<Tool?> HelmAsync(CancellationToken ct) => FindAsync(options.HelmPath, SourceKind.Helm, ct);

    /// <summary>The path or name configured for <c>kustomize</c> or <c>helm</c>.</summary>
    public string Configured(string tool) => tool == "helm" ? options.HelmPath : options.KustomizePath;

    /// <summary>What to install, for the error of a missing tool.</summary>
    public string Advice(SourceKind kind) => kind == SourceKind.Helm
        ? $"helm (v4.1.4 is tested) was not found at '{options.HelmPath}': install helm, or set its path (agent config render.helm, --helm-binary, or GITOPS_HELM)"
        : $"kustomize was not found at '{options.KustomizePath}': install kubectl (its built-in 'kubectl kustomize') or kustomize (v5.5 is tested), or set its path (agent config render.kustomize, --kustomize-binary, or GITOPS_KUSTOMIZE)";

    /// <summary>One line per tool for <c>gitops version</c>: its path and version, or that it is missing.</summary>
    public async Task<IReadOnlyList<string>> DescribeAsync(CancellationToken ct)
    {
        var kustomize = await KustomizeAsync(ct);
        var helm = await HelmAsync(ct);
        return
        [
            kustomize is null ? $"kustomize: not found ({options.KustomizePath})" : $"kustomize: {kustomize.Version} ({kustomize.Path}{(kustomize.KubectlKustomize ? " kustomize" : "")})",
            helm is null ? $"helm: not found ({options.HelmPath})" : $"helm: {helm.Version} ({helm.Path})",
        ];
    }

    private Task<Tool?> FindAsync(string configured, SourceKind kind, CancellationToken ct)
    {
        var task = found.GetOrAdd($"{kind}:{configured}", _ => ProbeAsync(configured, kind));
        return task.WaitAsync(ct);
    }

    private static async Task<Tool?> ProbeAsync(string configured, SourceKind kind)
    {
        if (Locate(configured) is not { } path)
        {
            return null;
        }

        var kubectl = kind == SourceKind.Kustomize && System.IO.Path.GetFileName(path).StartsWith("kubectl", StringComparison.Ordinal);
        var home = Directory.CreateTempSubdirectory("gitops-tool-").FullName;
        try
        {
            var probe = new RenderOptions { Timeout = TimeSpan.FromSeconds(30), MaxOutputBytes = 1 << 20 };
            string[] args = kind == SourceKind.Helm ? ["version", "--template", "{{.Version}}"]
                : kubectl ? ["version", "--client", "-o", "json"] : ["version"];
            var result = await ToolProcess.RunAsync(path, args, home, home, probe, $"{path} version", CancellationToken.None);
            var text = Encoding.UTF8.GetString(result.Stdout).Trim();
            var version = kubectl ? (string?)JsonNode.Parse(text)?["kustomizeVersion"] ?? "unknown" : text.Split('\n')[0].Trim();
            return result.ExitCode == 0 ? new Tool(path, version, kubectl) : null;
        }
        catch (Exception ex) when (ex is RenderException or System.Text.Json.JsonException)
        {
            return null;
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    /// <summary>A path as given when it holds a slash, otherwise the first match on PATH.</summary>
    internal static string? Locate(string configured)
    {
        if (configured.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(configured) ? System.IO.Path.GetFullPath(configured) : null;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => System.IO.Path.Combine(dir, configured))
            .FirstOrDefault(File.Exists);
    }
}
