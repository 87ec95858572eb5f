using System.Diagnostics;
using System.Text.Json.Nodes;
using GitOps.Agent.Sync;
using Xunit.Abstractions;

namespace GitOps.Integration.Tests.Faults;

/// <summary>
/// Several writers of one target at once (three `gitops sync` runs at different revisions): the
/// inventory is written compare-and-swap and merged on conflict, so every object any of them
/// labelled stays recorded, and one later sync prunes the cluster back to exactly its revision.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class ConcurrentWritersTests(ClusterFixture cluster, ITestOutputHelper output) : IClassFixture<ClusterFixture>
{
    private const int PerRevision = 300;
    private const int Beside = PerRevision;

    [Fact]
    public async Task Sync_ThreeConcurrentRunsThenOneBack_NothingStaysLabelled()
    {
        await using var h = new SyncHarness(cluster, "conc");
        h.Kubectl("create", "namespace", h.Namespace);
        var revisions = new List<string>();
        for (var r = 1; r <= 3; r++)
        {
            h.Repo.Write("objects.yaml", Many(h.Namespace, $"r{r}")).Commit($"revision {r}");
            revisions.Add(h.Repo.Head);
        }

        var runs = revisions.Select((sha, i) => Task.Run(() => Sync(h, sha, $"cache-{i}"))).ToArray();
        var results = await Task.WhenAll(runs);
        foreach (var r in results)
        {
            output.WriteLine($"exit {r.ExitCode}: {r.Stdout.Split('\n').LastOrDefault(l => l.Length > 0)} {r.Stderr}");
        }

        var labelled = await LabelledAsync(h);
        var recorded = await RecordedAsync(h);
        Assert.Empty(labelled.Except(recorded)); // no labelled object outside the inventory
        output.WriteLine($"after the race: {labelled.Count} labelled, {recorded.Count} recorded");

        h.Repo.Write("objects.yaml", Yaml.ConfigMap(h.Namespace, "last", ("k", "v"))).Commit("back to one object");
        var back = Sync(h, h.Repo.Head, "cache-back");
        Assert.True(back.ExitCode == 0, back.Stdout + back.Stderr);

        Assert.Equal([$"{h.Namespace}/last"], await LabelledAsync(h));
        Assert.Equal([$"{h.Namespace}/last"], await RecordedAsync(h));
    }

    [Fact]
    public async Task Sync_CliRunBesideTheAgent_EndsWithLabelledEqualToRecorded()
    {
        await using var a = new Agent.AgentHarness(cluster, "beside");
        a.Sync.Target = a.Sync.Target with { Name = "app", InventoryNamespace = a.Namespace, Source = GitOps.Agent.Sync.TargetSource.Of(a.Remote, ".") };
        a.Sync.Repo.Write("objects.yaml", Many(a.Namespace, "cli", Beside)).Commit("what the CLI syncs");
        var cliRevision = a.Sync.Repo.Head;
        a.Sync.Repo.Write("objects.yaml", Many(a.Namespace, "agent", Beside)).Commit("what the agent follows");
        var head = a.Push();

        // The CLI process needs about a second to start: the agent starts meanwhile, so both apply at once.
        var cli = Task.Run(() => Processes.Exec("dotnet", a.Sync.Repo.Root, null,
            Path.Combine(AppContext.BaseDirectory, "gitops.dll"), "sync", "--repo", a.Remote, "--branch", "main", "--revision", cliRevision,
            "--target", "app", "--inventory-namespace", a.Namespace, "-n", a.Namespace, "--prune", "--no-status", "--kubeconfig", cluster.Kubeconfig,
            "--cache-dir", Path.Combine(Path.GetTempPath(), $"{a.Namespace}-cli")));
        await Task.Delay(TimeSpan.FromMilliseconds(700));
        await a.StartAsync(a.Config("solo"));
        await a.WaitForStatusAsync(head, "Synced", TimeSpan.FromSeconds(90));
        output.WriteLine($"cli: {(await cli).Stdout.Split('\n').LastOrDefault(l => l.Length > 0)}");

        // The agent's watch sees the CLI's objects and its next passes converge on the branch head.
        var expected = Enumerable.Range(0, Beside).Select(i => $"{a.Namespace}/agent-{i:000}").Order(StringComparer.Ordinal).ToList();
        await Agent.AgentHarness.EventuallyAsync(
            async () => (await LabelledAsync(a.Sync)).SequenceEqual(expected) && (await RecordedAsync(a.Sync)).SequenceEqual(expected) ? "converged" : null,
            TimeSpan.FromSeconds(90),
            "labelled == recorded == the branch head");
    }

    private ProcessResult Sync(SyncHarness h, string revision, string cache)
    {
        var clock = Stopwatch.StartNew();
        var result = Processes.Exec("dotnet", h.Repo.Root, null,
            Path.Combine(AppContext.BaseDirectory, "gitops.dll"), "sync", "--repo", h.Repo.Root, "--branch", "main", "--revision", revision,
            "--target", h.Target.Name, "-n", h.Namespace, "--prune", "--no-status", "--kubeconfig", cluster.Kubeconfig,
            "--cache-dir", Path.Combine(h.Repo.Root, ".." , $"{h.Namespace}-{cache}"));
        output.WriteLine($"sync {revision[..7]} took {clock.ElapsedMilliseconds} ms");
        return result;
    }

    private static string Many(string ns, string prefix, int count = PerRevision) =>
        string.Join("\n---\n", Enumerable.Range(0, count).Select(i => Yaml.ConfigMap(ns, $"{prefix}-{i:000}", ("k", prefix))));

    private static async Task<List<string>> LabelledAsync(SyncHarness h)
    {
        var id = InventoryStore.IdOf(h.Target);
        var list = await h.Api.ListAsync($"/api/v1/namespaces/{h.Namespace}/configmaps", $"applyset.kubernetes.io/part-of={id}", CancellationToken.None);
        return [.. (list["items"] as JsonArray ?? []).OfType<JsonObject>().Select(i => $"{h.Namespace}/{i["metadata"]!["name"]}").Order(StringComparer.Ordinal)];
    }

    private static async Task<List<string>> RecordedAsync(SyncHarness h)
    {
        var parent = await h.Api.GetAsync($"/api/v1/namespaces/{h.Target.InventoryNamespace}/configmaps/{InventoryStore.ParentName(h.Target)}", CancellationToken.None);
        return [.. ApplySetInventory.ParseMembers((string?)parent?["data"]?["members"]).Keys.Select(k => $"{k.Namespace}/{k.Name}").Order(StringComparer.Ordinal)];
    }
}
