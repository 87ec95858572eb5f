using System.Text;
using System.Text.Json.Nodes;
using GitOps.Diff.Masking;

namespace GitOps.Agent.Render;

/// <summary>
/// Fetches dependencies from one configured repository with <c>helm dependency update</c> on a
/// scratch chart that declares only them (at Chart.lock's versions when pinned), so nothing else
/// of the user's chart is touched and no other repository is asked. Helm's repository config,
/// registry login, index cache and content cache are files written below the run's private temp
/// folder (never the user's HOME), holding only this repository and its credentials, read from
/// their files now. Network: Go's proxy rules send every request to a host other than the
/// repository's own (and its <see cref="ChartRepository.AllowHosts"/>) to a proxy that does not
/// exist, so it fails; loopback addresses are the exception Go makes (never proxied).
/// </summary>
internal static class DependencyFetch
{
    /// <summary>A proxy nobody listens on: a connection to port 0 is refused.</summary>
    internal const string NoProxy = "http://127.0.0.1:0";

    private static readonly string[] Chatter = ["Hang tight", "Successfully got an update", "Update Complete", "Saving ", "Downloading ", "Deleting outdated", "Pulled: ", "Digest: "];

    /// <returns>Each dependency, the version fetched, and its package.</returns>
    public static async Task<IReadOnlyList<(ChartDependency Dependency, string Version, ChartPackage Package)>> RunAsync(
        DependencyRun run, ChartRepository repository, IReadOnlyList<ChartDependency> dependencies, CancellationToken ct)
    {
        var what = $"{run.What}: fetching {string.Join(", ", dependencies.Select(d => $"'{d.Name}' {d.Version}"))} from chart repository '{repository.Name}' ({repository.Url})";
        var credentials = await ChartCredentials.ReadAsync(repository, what, ct);
        var work = Directory.CreateDirectory(Path.Combine(run.Temp, $"deps-{Guid.NewGuid():N}")).FullName;
        var scratch = Directory.CreateDirectory(Path.Combine(work, "chart")).FullName;
        await File.WriteAllTextAsync(Path.Combine(scratch, "Chart.yaml"), ScratchChart(repository, dependencies), ct);
        var repositories = Path.Combine(work, "repositories.yaml");
        var registry = Path.Combine(work, "registry.json");
        await File.WriteAllTextAsync(repositories, RepositoryConfig(repository, credentials), ct);
        await File.WriteAllTextAsync(registry, repository.IsOci ? credentials.RegistryConfig(repository.Registry) : "{\"auths\":{}}", ct);

        List<string> args =
        [
            "dependency", "update", scratch, "--repository-config", repositories, "--registry-config", registry,
            "--repository-cache", Path.Combine(work, "index-cache"), "--content-cache", Path.Combine(work, "content-cache"),
        ];
        if (repository.IsOci && repository.CaFile is { } ca)
        {
            args.AddRange(["--ca-file", ca]);
        }

        if (repository.IsOci && repository.InsecureSkipTlsVerify)
        {
            args.Add("--insecure-skip-tls-verify");
        }

        var result = await ToolProcess.RunAsync(run.Helm, args, scratch, run.Home, run.Options, what, ct, Network(repository));
        if (result.ExitCode != 0)
        {
            var redactor = SecretRedactor.For(credentials.AsSecrets());
            throw new RenderException($"{what} failed: {redactor.Redact(run.Rewrite(Explain(result)))}");
        }

        return Harvest(scratch, dependencies, what);
    }

    /// <summary>A chart that declares only the dependencies to fetch, each naming the repository by URL.</summary>
    private static string ScratchChart(ChartRepository repository, IReadOnlyList<ChartDependency> dependencies)
    {
        var list = new JsonArray();
        foreach (var d in dependencies)
        {
            var url = d.Repository.Contains("://", StringComparison.Ordinal) ? d.Repository : repository.Url;
            list.Add(new JsonObject { ["name"] = d.Name, ["version"] = d.Version, ["repository"] = url });
        }

        return new JsonObject { ["apiVersion"] = "v2", ["name"] = "gitops-dependencies", ["version"] = "0.0.0", ["dependencies"] = list }.ToJsonString();
    }

    /// <summary>Helm's repositories.yaml (JSON is YAML) with this one HTTP repository; credentials go only to its own host.</summary>
    private static string RepositoryConfig(ChartRepository repository, ChartCredentials credentials)
    {
        var entries = new JsonArray();
        if (!repository.IsOci)
        {
            entries.Add(new JsonObject
            {
                ["name"] = repository.Name,
                ["url"] = repository.Url,
                ["username"] = credentials.Username,
                ["password"] = credentials.Password,
                ["caFile"] = repository.CaFile,
                ["insecure_skip_tls_verify"] = repository.InsecureSkipTlsVerify,
                ["pass_credentials_all"] = false,
            });
        }

        return new JsonObject { ["apiVersion"] = "v1", ["generated"] = "0001-01-01T00:00:00Z", ["repositories"] = entries }.ToJsonString();
    }

    /// <summary>Every host but the repository's (and its allowed ones) goes to a proxy that refuses; loopback is never proxied by Go.</summary>
    private static Dictionary<string, string> Network(ChartRepository repository)
    {
        var allowed = string.Join(',', repository.AllowHosts.Prepend(repository.HostPort));
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["HTTP_PROXY"] = NoProxy, ["HTTPS_PROXY"] = NoProxy, ["http_proxy"] = NoProxy, ["https_proxy"] = NoProxy,
            ["NO_PROXY"] = allowed, ["no_proxy"] = allowed,
        };
    }

    /// <summary>stderr, after what Helm printed to stdout that is not progress (it reports a failed index download there).</summary>
    private static string Explain(ToolResult result)
    {
        var stdout = Encoding.UTF8.GetString(result.Stdout).Split('\n')
            .Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0 && !Chatter.Any(c => l.TrimStart('.').StartsWith(c, StringComparison.Ordinal)));
        var text = string.Join('\n', stdout.Append(result.Stderr.Trim()).Where(l => l.Length > 0));
        return text.Contains("proxyconnect", StringComparison.Ordinal)
            ? text + "\n(only the repository's host and its allowHosts are reachable: a download from another host was stopped)"
            : text;
    }

    private static List<(ChartDependency, string, ChartPackage)> Harvest(string scratch, IReadOnlyList<ChartDependency> dependencies, string what)
    {
        var lockFile = Path.Combine(scratch, "Chart.lock");
        var locked = File.Exists(lockFile) ? ChartDependency.Read(lockFile, what) : [];
        var fetched = new List<(ChartDependency, string, ChartPackage)>();
        foreach (var d in dependencies)
        {
            var version = d.Pinned ? d.Version : locked.FirstOrDefault(l => l.Name == d.Name)?.Version;
            var file = version is null ? null : Path.Combine(scratch, "charts", $"{d.Name}-{version}.tgz");
            if (file is null || !File.Exists(file))
            {
                throw new RenderException($"{what}: helm reported success but left no package for '{d.Name}' {d.Version}");
            }

            fetched.Add((d, version!, new ChartPackage(Path.GetFileName(file), File.ReadAllBytes(file))));
        }

        return fetched;
    }
}
