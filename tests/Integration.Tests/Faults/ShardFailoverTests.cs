using System.Diagnostics;
using System.Text.Json.Nodes;
using GitOps.Agent.Git;
using GitOps.Agent.Hosting.Shards;
using GitOps.Integration.Tests.Agent;
using Xunit.Abstractions;

namespace GitOps.Integration.Tests.Faults;

/// <summary>
/// Three real `gitops agent` processes with <c>shards: 3</c> against the real API server: every
/// shard is held by exactly one replica and all targets sync; a replica killed with SIGKILL has
/// its targets synced by the others about one lease duration later; a replica paused past its
/// Leases (SIGSTOP) writes nothing for the shards it lost when it wakes.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class ShardFailoverTests(ClusterFixture cluster, ITestOutputHelper output) : IClassFixture<ClusterFixture>
{
    private const int Shards = 3;
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(4);
    private static readonly string[] Replicas = ["replica-a", "replica-b", "replica-c"];

    [Fact]
    public async Task Agent_ThreeReplicasWithShards_ShareTheShardsAndTakeOverAKilledOnesTargets()
    {
        await using var a = new AgentHarness(cluster, "shards");
        var names = TwoPerShard();
        foreach (var name in names)
        {
            a.Sync.Repo.Write($"{name}/cm.yaml", Yaml.ConfigMap(a.Namespace, name, ("v", "1")));
        }

        a.Sync.Repo.Commit("first");
        var first = a.Push();
        var agents = Replicas.Select(id => Start(a, id, Targets(a, names))).ToList();
        try
        {
            foreach (var name in names)
            {
                await a.WaitForStatusAsync(first, "Synced", TimeSpan.FromSeconds(90), name);
            }

            var holders = await BalancedAsync(a, Replicas);
            foreach (var agent in agents)
            {
                var metrics = await MetricsAsync(agent);
                var mine = holders.Where(h => h.Value == agent.Identity).Select(h => h.Key).ToList();
                Assert.Single(mine); // three shards over three replicas: one each
                Assert.Contains($"gitops_shard_held{{shard=\"{mine[0]}\"}} 1", metrics, StringComparison.Ordinal);
                Assert.Equal(Shards - 1, Enumerable.Range(0, Shards).Count(s => metrics.Contains($"gitops_shard_held{{shard=\"{s}\"}} 0", StringComparison.Ordinal)));
            }

            var victim = agents[1];
            var lost = holders.Single(h => h.Value == victim.Identity).Key;
            var orphans = names.Where(n => ShardAssignment.ShardOf(n, Shards) == lost).ToList();
            var killed = Stopwatch.StartNew();
            victim.Kill();
            foreach (var name in names)
            {
                a.Sync.Repo.Write($"{name}/cm.yaml", Yaml.ConfigMap(a.Namespace, name, ("v", "2")));
            }

            a.Sync.Repo.Commit("second");
            var second = a.Push();
            var taken = await AgentHarness.EventuallyAsync(
                async () => (await HoldersAsync(a)).GetValueOrDefault(lost) is { } h && h != victim.Identity ? h : null,
                TimeSpan.FromSeconds(30),
                $"shard {lost} taken over");
            var takeover = killed.Elapsed;
            foreach (var name in orphans)
            {
                await a.WaitForStatusAsync(second, "Synced", TimeSpan.FromSeconds(60), name);
            }

            output.WriteLine($"shard {lost} taken by {taken} {takeover.TotalSeconds:0.0}s after SIGKILL; its targets synced the new commit {killed.Elapsed.TotalSeconds:0.0}s after");
            // The Lease runs out one lease duration after its last renewal; one round later it is taken.
            Assert.InRange(takeover, TimeSpan.Zero, Lease * 2.5);
            foreach (var name in names)
            {
                await a.WaitForStatusAsync(second, "Synced", TimeSpan.FromSeconds(60), name);
                Assert.Equal("2", await ValueAsync(a, name));
            }

            await BalancedAsync(a, [Replicas[0], Replicas[2]]);
        }
        finally
        {
            agents.ForEach(p => p.Dispose());
        }
    }

    [Fact]
    public async Task Agent_ShardHolderPausedPastItsLeases_WritesNothingForTheShardsItLost()
    {
        const int objects = 600;
        await using var a = new AgentHarness(cluster, "shardpause");
        var names = TwoPerShard();
        var big = names[0];
        foreach (var name in names)
        {
            a.Sync.Repo.Write($"{name}/cm.yaml", Yaml.ConfigMap(a.Namespace, name, ("v", "1")));
        }

        a.Sync.Repo.Commit("first");
        var first = a.Push();
        var agents = Replicas.Select(id => Start(a, id, Targets(a, names))).ToList();
        try
        {
            await a.WaitForStatusAsync(first, "Synced", TimeSpan.FromSeconds(90), big);
            var shard = ShardAssignment.ShardOf(big, Shards);
            var holders = await BalancedAsync(a, Replicas);
            var paused = agents.Single(p => p.Identity == holders[shard]);

            a.Sync.Repo.Write($"{big}/cm.yaml", Many(a.Namespace, big, objects, "old")).Commit("old: many objects");
            var old = a.Push();
            await AgentHarness.EventuallyAsync(
                () => Task.FromResult(paused.Lines.Any(l => l.Contains($"{big} at {old}: Progressing", StringComparison.Ordinal)) ? "applying" : null),
                TimeSpan.FromSeconds(60),
                "the shard's holder starting to apply");
            paused.Pause();
            output.WriteLine($"paused {paused.Identity} (shard {shard}) while applying {big}");

            a.Sync.Repo.Write($"{big}/cm.yaml", Many(a.Namespace, big, objects, "new")).Commit("new");
            var newer = a.Push();
            await a.WaitForStatusAsync(newer, "Synced", TimeSpan.FromSeconds(90), big);
            Assert.NotEqual(paused.Identity, (await HoldersAsync(a)).GetValueOrDefault(shard));
            var before = await VersionsAsync(a, big);
            var oldNote = Note(a, old);

            paused.Resume();
            await Task.Delay(TimeSpan.FromSeconds(3));
            var settled = await VersionsAsync(a, big);
            await Task.Delay(TimeSpan.FromSeconds(7)); // it rejoins meanwhile, and the shards are shared out again

            // As with one leader Lease: only requests already on their way to the socket when it froze.
            var changed = before.Zip(await VersionsAsync(a, big)).Count(p => p.First != p.Second);
            output.WriteLine($"objects of {big} written after SIGCONT: {changed}");
            Assert.InRange(changed, 0, new GitOps.Agent.Sync.SyncEngineOptions().Parallelism);
            Assert.Equal(settled, await VersionsAsync(a, big));
            Assert.Equal(objects, (await ValuesAsync(a, big)).Count(v => v == "new"));
            Assert.Equal(oldNote, Note(a, old)); // the paused replica's verdict on the old commit never went out
            Assert.Contains(paused.Lines, l => l.Contains($"stopped syncing shard {shard}", StringComparison.Ordinal) || l.Contains($"the Lease of shard {shard} was not renewed", StringComparison.Ordinal));
            Assert.False(paused.HasExited, "the paused replica must live on");
            await BalancedAsync(a, Replicas);
        }
        finally
        {
            agents.ForEach(p => p.Dispose());
        }
    }

    private static string Many(string ns, string prefix, int count, string value) =>
        string.Join("\n---\n", Enumerable.Range(0, count).Select(i => Yaml.ConfigMap(ns, $"{prefix}-{i:000}", ("v", value))));

    private static async Task<List<JsonObject>> ItemsAsync(AgentHarness a, string prefix)
    {
        var list = await a.Sync.Api.ListAsync($"/api/v1/namespaces/{a.Namespace}/configmaps", null, CancellationToken.None);
        return [.. (list["items"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(i => ((string?)i["metadata"]!["name"])!.StartsWith($"{prefix}-", StringComparison.Ordinal))
            .OrderBy(i => (string?)i["metadata"]!["name"], StringComparer.Ordinal)];
    }

    private static async Task<List<string>> VersionsAsync(AgentHarness a, string prefix) =>
        [.. (await ItemsAsync(a, prefix)).Select(i => $"{i["metadata"]!["name"]}={i["metadata"]!["resourceVersion"]}")];

    private static async Task<List<string?>> ValuesAsync(AgentHarness a, string prefix) =>
        [.. (await ItemsAsync(a, prefix)).Select(i => (string?)i["data"]?["v"])];

    private static string Note(AgentHarness a, string commit)
    {
        try
        {
            return Processes.Run("git", a.Sync.Repo.Root, null, "--git-dir", a.Remote, "notes", $"--ref={GitNotesStatus.NotesRef}", "show", commit);
        }
        catch (InvalidOperationException)
        {
            return "(no note)";
        }
    }

    private AgentProcess Start(AgentHarness a, string identity, string targets) =>
        new(identity, cluster.Kubeconfig, a.Namespace, targets, output, leaseDuration: $"{Lease.TotalSeconds}s", extra: $"shards: {Shards}");

    /// <summary>Two target names for each shard, so every shard has work and every replica's loss is visible.</summary>
    internal static List<string> TwoPerShard() =>
        [.. Enumerable.Range(0, 100).Select(i => $"app-{i}").GroupBy(n => ShardAssignment.ShardOf(n, Shards)).OrderBy(g => g.Key).SelectMany(g => g.Take(2))];

    internal static string Targets(AgentHarness a, IEnumerable<string> names) => string.Join("\n", names.Select(n => $"""
          - name: {n}
            repository: {a.Remote}
            branch: main
            path: {n}
            interval: 5s
            prune: true
            defaultNamespace: {a.Namespace}
        """));

    /// <summary>Waits until every shard is held by one of <paramref name="live"/> and each holds ⌊N/R⌋ or ⌈N/R⌉.</summary>
    internal static async Task<Dictionary<int, string>> BalancedAsync(AgentHarness a, IReadOnlyList<string> live) =>
        await AgentHarness.EventuallyAsync(
            async () =>
            {
                var holders = await HoldersAsync(a);
                var counts = live.Select(r => holders.Values.Count(h => h == r)).ToList();
                return holders.Count == Shards && holders.Values.All(live.Contains) && counts.Max() - counts.Min() <= 1 ? holders : null;
            },
            TimeSpan.FromSeconds(60),
            $"the shards balanced over {string.Join(", ", live)}");

    internal static async Task<Dictionary<int, string>> HoldersAsync(AgentHarness a)
    {
        var holders = new Dictionary<int, string>();
        for (var s = 0; s < Shards; s++)
        {
            var lease = await a.Sync.Api.GetAsync($"/apis/coordination.k8s.io/v1/namespaces/{a.Namespace}/leases/gitops-agent-shard-{s}", CancellationToken.None);
            if ((string?)lease?["spec"]?["holderIdentity"] is { Length: > 0 } holder)
            {
                holders[s] = holder;
            }
        }

        return holders;
    }

    internal static async Task<string?> ValueAsync(AgentHarness a, string name) =>
        (string?)(await a.Sync.Api.GetAsync($"/api/v1/namespaces/{a.Namespace}/configmaps/{name}", CancellationToken.None))?["data"]?["v"];

    internal static async Task<string> MetricsAsync(AgentProcess agent)
    {
        using var http = new HttpClient();
        return await http.GetStringAsync(new Uri($"http://127.0.0.1:{agent.Port}/metrics"));
    }
}
