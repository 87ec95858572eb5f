using System.Text.Json.Nodes;
using GitOps.Agent.Git;
using GitOps.Agent.Kube;
using GitOps.Integration.Tests.Agent;
using Xunit.Abstractions;

namespace GitOps.Integration.Tests.Faults;

/// <summary>
/// A leader paused mid-apply (SIGSTOP: a frozen VM, a long stop-the-world pause) past its Lease:
/// the standby takes over and syncs a newer commit; when the old leader wakes, it writes no note and
/// no object beyond the requests that were already on their way to the socket when it froze,
/// because every later write is fenced by the Lease it can no longer prove.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class LeaderPauseTests(ClusterFixture cluster, ITestOutputHelper output) : IClassFixture<ClusterFixture>
{
    private const int Objects = 600;

    [Fact]
    public async Task Agent_LeaderPausedPastItsLease_WritesNothingAfterWakingButWhatWasInFlight()
    {
        await using var a = new AgentHarness(cluster, "pause");
        var targets = $"""
              - name: app
                repository: {a.Remote}
                branch: main
                interval: 5s
                prune: true
                defaultNamespace: {a.Namespace}
            """;
        a.Sync.Repo.Write("a.yaml", Yaml.ConfigMap(a.Namespace, "first", ("k", "0"))).Commit("first");
        var first = a.Push();
        using var leader = new AgentProcess("replica-a", cluster.Kubeconfig, a.Namespace, targets, output);
        await a.WaitForStatusAsync(first, "Synced", TimeSpan.FromSeconds(60));
        using var standby = new AgentProcess("replica-b", cluster.Kubeconfig, a.Namespace, targets, output);
        Assert.Equal("replica-a", await HolderAsync(a));

        a.Sync.Repo.Write("a.yaml", Many(a.Namespace, "old")).Commit("old: many objects");
        var old = a.Push();
        // Applying 600 objects takes well under a second in Release: the leader's own log line says
        // when it starts (Progressing is logged right before the first write), polling would miss it.
        await AgentHarness.EventuallyAsync(
            () => Task.FromResult(leader.Lines.Any(l => l.Contains($"{old}: Progressing", StringComparison.Ordinal)) ? "applying" : null),
            TimeSpan.FromSeconds(60),
            "the leader starting to apply");
        leader.Pause();
        output.WriteLine($"paused the leader with {await CountAsync(a, "old")} of {Objects} objects at 'old'");

        a.Sync.Repo.Write("a.yaml", Many(a.Namespace, "new")).Commit("new");
        var newer = a.Push();
        await a.WaitForStatusAsync(newer, "Synced", TimeSpan.FromSeconds(90));
        Assert.Equal("replica-b", await HolderAsync(a));
        var before = await VersionsAsync(a);
        var notesBefore = NotesRef(a);

        leader.Resume();
        await Task.Delay(TimeSpan.FromSeconds(3));
        var settled = await VersionsAsync(a);
        await Task.Delay(TimeSpan.FromSeconds(7)); // the window in which the old leader used to write

        // Kubernetes has no fencing tokens: a request that was already past the last check, on its
        // way to the socket, when the process froze is sent when it wakes — at most the requests in
        // flight (the parallelism). Nothing after them: without the fence the old leader went on
        // rewriting the rest of the objects and the note for seconds.
        var changed = Changed(before, await VersionsAsync(a));
        output.WriteLine($"objects written after SIGCONT: {changed} (requests in flight at the pause, then healed)");
        Assert.InRange(changed, 0, new GitOps.Agent.Sync.SyncEngineOptions().Parallelism);
        Assert.Equal(settled, await VersionsAsync(a)); // nothing at all after the in-flight ones (and their heal)
        Assert.Equal(Objects, await CountAsync(a, "new"));
        Assert.Equal(notesBefore, NotesRef(a)); // not one note written
        Assert.Contains(leader.Lines, l => l.Contains("not writing: the leader Lease was not renewed", StringComparison.Ordinal) || l.Contains("lost leadership", StringComparison.Ordinal));
        Assert.False(leader.HasExited, "the old leader must live on as a standby");
    }

    private static int Changed(string before, string after) =>
        before.Split(',').Zip(after.Split(',')).Count(p => p.First != p.Second);

    private static string Many(string ns, string value) =>
        string.Join("\n---\n", Enumerable.Range(0, Objects).Select(i => Yaml.ConfigMap(ns, $"cm-{i:000}", ("v", value))));

    private static async Task<int> CountAsync(AgentHarness a, string value)
    {
        var list = await a.Sync.Api.ListAsync($"/api/v1/namespaces/{a.Namespace}/configmaps", null, CancellationToken.None);
        return (list["items"] as JsonArray ?? []).OfType<JsonObject>().Count(i => (string?)i["data"]?["v"] == value);
    }

    private static async Task<string> VersionsAsync(AgentHarness a)
    {
        var list = await a.Sync.Api.ListAsync($"/api/v1/namespaces/{a.Namespace}/configmaps", null, CancellationToken.None);
        return string.Join(",", (list["items"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(i => $"{i["metadata"]!["name"]}={i["metadata"]!["resourceVersion"]}").Order(StringComparer.Ordinal));
    }

    private static async Task<string?> HolderAsync(AgentHarness a)
    {
        var lease = await a.Sync.Api.GetAsync($"/apis/coordination.k8s.io/v1/namespaces/{a.Namespace}/leases/gitops-agent", CancellationToken.None);
        return (string?)lease?["spec"]?["holderIdentity"];
    }

    private static string NotesRef(AgentHarness a) =>
        Processes.Run("git", a.Sync.Repo.Root, null, "--git-dir", a.Remote, "rev-parse", "--verify", "-q", GitNotesStatus.NotesRef).Trim();
}
