using System.Globalization;
using GitOps.Agent.Git;
using GitOps.Agent.Hosting;
using GitOps.Agent.Hosting.Shards;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GitOps.Integration.Tests.Agent;

/// <summary>
/// With shards, each shard's workers run in a term of their own: a replica starting one shard
/// anew forgets what it wrote for that shard's targets only, and the other shards' targets keep
/// what they know (their next pass at the same commit writes no note again).
/// </summary>
public sealed class ShardTermTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>, IDisposable
{
    private const int Shards = 3;
    private readonly string reader = Path.Combine(Path.GetTempPath(), ClusterFixture.UniqueName("notes-reader"));

    public void Dispose()
    {
        if (Directory.Exists(reader))
        {
            Directory.Delete(reader, recursive: true);
        }
    }

    [Fact]
    public async Task Agent_OneShardStartedAnew_ForgetsOnlyThatShardsTargets()
    {
        await using var a = new AgentHarness(cluster, "shardterm") { Interval = TimeSpan.FromSeconds(60) };
        var names = Enumerable.Range(0, 100).Select(i => $"app-{i}").GroupBy(n => ShardAssignment.ShardOf(n, Shards)).OrderBy(g => g.Key).SelectMany(g => g.Take(2)).ToList();
        foreach (var name in names)
        {
            a.Sync.Repo.Write($"{name}/cm.yaml", Yaml.ConfigMap(a.Namespace, name, ("v", "1")));
        }

        a.Sync.Repo.Commit("first");
        var commit = a.Push();
        var config = a.Config("solo") with
        {
            Shards = Shards,
            Targets = [.. names.Select(n => new TargetConfig(n, a.Remote, "main", n) { Interval = a.Interval, Prune = true, DefaultNamespace = a.Namespace })],
        };
        var host = await a.StartAsync(config); // alone, it holds every shard
        foreach (var name in names)
        {
            await a.WaitForStatusAsync(commit, "Synced", TimeSpan.FromSeconds(60), name);
        }

        await PassEveryTargetAsync(host, names); // the entry says unchanged=1 now, and stays so
        var settled = await EntriesAsync(a, commit);
        await PassEveryTargetAsync(host, names);
        Assert.Equal(settled, await EntriesAsync(a, commit)); // a pass that finds what it wrote writes nothing

        var fences = host.Services.GetRequiredService<ShardFences>();
        fences[0].Revoke(); // shard 0's term ends; the next rounds give it up and take it again, from scratch
        await AgentHarness.EventuallyAsync(() => Task.FromResult(fences[0].Held ? "held" : null), TimeSpan.FromSeconds(20), "shard 0 taken again");
        await PassEveryTargetAsync(host, names);

        var after = await EntriesAsync(a, commit);
        foreach (var name in names)
        {
            var shard = ShardAssignment.ShardOf(name, Shards);
            if (shard == 0)
            {
                Assert.NotEqual(settled[name], after[name]); // its new term knew nothing, and wrote the note again
            }
            else
            {
                Assert.Equal(settled[name], after[name]); // its term went on, and so did what it knew
            }
        }
    }

    /// <summary>Asks every target for a pass and waits until each has run one more (watch events aside, none would run).</summary>
    private static async Task PassEveryTargetAsync(IHost host, IReadOnlyList<string> names)
    {
        var before = names.ToDictionary(n => n, n => Passes(host, n));
        await Task.Delay(TimeSpan.FromSeconds(1.1)); // a rewritten entry's time (seconds) differs from the last one
        foreach (var worker in host.Services.GetServices<TargetWorker>())
        {
            worker.Trigger();
        }

        await AgentHarness.EventuallyAsync(
            () => Task.FromResult(names.All(n => Passes(host, n) > before[n]) ? "passed" : null), TimeSpan.FromSeconds(30), "a pass of every target");
        await Task.Delay(TimeSpan.FromSeconds(3)); // the notes batcher flushes at most once a second
    }

    private static double Passes(IHost host, string target) =>
        AgentHarness.Metrics(host).Render().Split('\n')
            .Where(l => l.StartsWith($"gitops_passes_total{{target=\"{target}\"", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));

    /// <summary>Each target's entry on the commit's note, time included: a rewrite shows as a new time.</summary>
    private async Task<Dictionary<string, string>> EntriesAsync(AgentHarness a, string commit)
    {
        var statuses = await new GitNotesStatus(reader)
            .ReadStatusAsync(new GitSourceSpec(a.Remote, "main", "."), "main", 5, CancellationToken.None);
        return statuses.Single(s => s.CommitSha == commit).Entries.ToDictionary(e => e.Target, e => $"{e.Phase} {e.Message} {e.Time:O}", StringComparer.Ordinal);
    }
}
