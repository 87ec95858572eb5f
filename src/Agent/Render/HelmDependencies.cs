namespace GitOps.Agent.Render;

/// <summary>What one chart's dependency step works with: helm, the chart on the private copy, and the target's repositories.</summary>
/// <param name="Helm">The helm binary.</param>
/// <param name="ChartDir">The chart folder on the private copy.</param>
/// <param name="Temp">The run's private 0700 folder (scratch charts and Helm's config go below it).</param>
/// <param name="Home">HOME of the tool runs.</param>
/// <param name="What">Names the target and chart in errors.</param>
/// <param name="Rewrite">Turns temp paths in the tool's words into repository paths.</param>
internal sealed record DependencyRun(
    string Helm, string ChartDir, string Temp, string Home, RenderOptions Options, string What, IReadOnlyList<ChartRepository> Repositories, Func<string, string> Rewrite);

/// <summary>
/// Before <c>helm template</c>: every dependency of Chart.yaml that is neither vendored under
/// <c>charts/</c> nor a local <c>file://</c> chart is put there, from the chart package cache when
/// pinned (Chart.lock or an exact version) and cached, otherwise fetched by
/// <c>helm dependency update</c> from the target's configured repository (<see cref="DependencyFetch"/>),
/// at Chart.lock's version when the chart has a lock (as <c>helm dependency build</c> would).
/// A dependency from a repository the target does not configure is refused before anything runs.
/// </summary>
internal sealed class HelmDependencies(ChartCache cache)
{
    private int fetches;

    /// <summary>Fetches run so far (one per repository a render needed; cache hits run none).</summary>
    public int Fetches => Volatile.Read(ref fetches);

    /// <summary>The part of the render cache key that the repositories decide (the URLs and TLS settings, not the credentials).</summary>
    public static string KeyOf(IReadOnlyList<ChartRepository> repositories) => string.Join('\u0002', repositories.Select(r => r.Key));

    public async Task PrepareAsync(DependencyRun run, CancellationToken ct)
    {
        var missing = ChartDependency.Missing(run.ChartDir, run.What);
        if (missing.Count == 0)
        {
            return;
        }

        var plan = missing.Select(d => (Dependency: d, Repository: run.Repositories.FirstOrDefault(r => r.Matches(d.Repository)))).ToList();
        var refused = plan.Where(p => p.Repository is null).Select(p => $"'{p.Dependency.Name}' from {p.Dependency.Repository}").ToList();
        if (refused.Count > 0)
        {
            var configured = run.Repositories.Count == 0 ? "the target configures none" : "configured: " + string.Join(", ", run.Repositories.Select(r => r.Url));
            throw new RenderException(
                $"{run.What}: chart dependency {string.Join(", ", refused)} is not vendored under charts/ and its repository is not a chart repository of this target ({configured}); " +
                "add the repository under helm.repositories, or vendor the chart (helm dependency build, then commit charts/ and Chart.lock)");
        }

        var charts = Directory.CreateDirectory(Path.Combine(run.ChartDir, "charts")).FullName;
        var toFetch = new List<(ChartDependency Dependency, ChartRepository Repository)>();
        foreach (var (dependency, repository) in plan)
        {
            if (dependency.Pinned && cache.TryGet(ChartCache.KeyOf(repository!, dependency.Repository, dependency.Name, dependency.Version), out var package))
            {
                await File.WriteAllBytesAsync(Path.Combine(charts, package!.FileName), package.Bytes, ct);
            }
            else
            {
                toFetch.Add((dependency, repository!));
            }
        }

        foreach (var group in toFetch.GroupBy(p => p.Repository))
        {
            Interlocked.Increment(ref fetches);
            var fetched = await DependencyFetch.RunAsync(run, group.Key, group.Select(p => p.Dependency).ToList(), ct);
            foreach (var (dependency, version, package) in fetched)
            {
                await File.WriteAllBytesAsync(Path.Combine(charts, package.FileName), package.Bytes, ct);
                cache.Put(ChartCache.KeyOf(group.Key, dependency.Repository, dependency.Name, version), package);
            }
        }
    }
}
