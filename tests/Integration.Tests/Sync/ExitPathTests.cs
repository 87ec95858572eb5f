using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace GitOps.Integration.Tests.Sync;

/// <summary>
/// Every way the real <c>gitops sync</c> process can end leaves the truth on the commit: the
/// exit code of the contract and a final note entry saying why — never a Progressing entry left
/// behind, never an object reported written that the cluster does not hold.
/// </summary>
public sealed class ExitPathTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Sync_ApiServerUnreachable_ExitsOneAndNotesFailedWithoutProgressing()
    {
        await using var cli = new GitOpsCli(cluster, "exit-dead");
        cli.Work.Write("a.yaml", Yaml.ConfigMap(cli.Namespace, "a", ("k", "1")));
        var commit = cli.CommitAndPush("a ConfigMap");

        var run = cli.Run(cli.SyncArgs("text", cli.DeadKubeconfig(Ports.Free())));

        Assert.True(run.ExitCode == 1, $"exit {run.ExitCode}: {run.Stdout}{run.Stderr}");
        var entry = await cli.EntryAsync(commit);
        Assert.NotNull(entry);
        Assert.Equal("Failed", entry.Phase);
        Assert.Contains("cannot reach the API server", entry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Progressing", cli.NotesHistory(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_SigtermDuringHealthWait_ExitsPromptlyAndNotesCancelled()
    {
        await using var cli = new GitOpsCli(cluster, "exit-term");
        cli.Work.Write("ns.yaml", Yaml.Namespace(cli.Namespace)).Write("web.yaml", Manifests.Deployment(cli.Namespace, "web", "app=web", readySeconds: 600));
        var commit = cli.CommitAndPush("a Deployment whose pods take ten minutes to get Ready");
        using var process = cli.Start(cli.SyncArgs("text", null, "--timeout", "2m"));
        try
        {
            await cli.WaitForEntryAsync(commit, "Progressing", TimeSpan.FromSeconds(60));
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (await cli.GetAsync($"/apis/apps/v1/namespaces/{cli.Namespace}/deployments/web") is null && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100); // applied: from here on the pass waits for health
            }

            Assert.False(process.HasExited, "the pass ended before the health wait");

            var clock = Stopwatch.StartNew();
            Processes.Run("kill", Path.GetTempPath(), null, "-TERM", process.Id.ToString(CultureInfo.InvariantCulture));
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(15)), "gitops sync did not exit within 15s of SIGTERM");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"exit took {clock.Elapsed.TotalSeconds:0.0}s");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        Assert.NotEqual(0, process.ExitCode);
        var entry = await cli.EntryAsync(commit);
        Assert.NotNull(entry);
        Assert.Equal("Failed", entry.Phase);
        Assert.Contains("cancelled", entry.Message, StringComparison.Ordinal);
        // The Namespace and the Deployment were applied before the health wait: the cluster did not stay where it was.
        Assert.DoesNotContain("stays at", entry.Message, StringComparison.Ordinal);
        Assert.Contains($"may be partly at {commit[..12]}", entry.Message, StringComparison.Ordinal);
        Assert.NotNull(await cli.GetAsync($"/apis/apps/v1/namespaces/{cli.Namespace}/deployments/web"));
    }

    [Fact]
    public async Task Sync_SymlinkInThePath_ExitsTwoAndNotesFailedNamingIt()
    {
        await using var cli = new GitOpsCli(cluster, "exit-link");
        cli.Work.Write("a.yaml", Yaml.ConfigMap(cli.Namespace, "a", ("k", "1")));
        Processes.Run("ln", cli.Work.Root, null, "-s", "/etc/passwd", "leak.yaml");
        var commit = cli.CommitAndPush("a symlink out of the repository");

        var run = cli.Run(cli.SyncArgs("text"));

        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}: {run.Stdout}{run.Stderr}");
        Assert.Contains("leak.yaml", run.Stderr, StringComparison.Ordinal);
        var entry = await cli.EntryAsync(commit);
        Assert.NotNull(entry);
        Assert.Equal("Failed", entry.Phase);
        Assert.Contains("leak.yaml", entry.Message, StringComparison.Ordinal);
        Assert.Contains("symlink", entry.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Sync_ObjectInANewNamespaceInvalidAfterTheDefinitionsStage_ReportsOnlyWhatExists()
    {
        await using var cli = new GitOpsCli(cluster, "exit-stage");
        var elsewhere = cli.Namespace + "-elsewhere";
        cli.Work.Write("ns.yaml", Yaml.Namespace(cli.Namespace))
            .Write("good.yaml", Yaml.ConfigMap(cli.Namespace, "good", ("k", "1")))
            .Write("bad.yaml", $"""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: bad
                  namespace: {cli.Namespace}
                  labels:
                    tier: "not a valid label value!"
                """)
            .Write("elsewhere.yaml", Yaml.ConfigMap("default", elsewhere, ("k", "1")));
        var commit = cli.CommitAndPush("a new Namespace and an invalid label in it");
        try
        {
            var run = cli.Run(cli.SyncArgs("json"));

            Assert.True(run.ExitCode == 1, $"exit {run.ExitCode}: {run.Stdout}{run.Stderr}");
            var report = JsonNode.Parse(run.Stdout)!.AsObject();
            Assert.Equal("Failed", (string?)report["phase"]);
            var changes = report["changes"]!.AsArray().Select(c => c!.AsObject()).ToDictionary(c => $"{c["kind"]}/{c["name"]}", c => (string?)c["action"]);
            Assert.Equal("created", changes[$"Namespace/{cli.Namespace}"]);
            Assert.Equal("failed", changes["ConfigMap/bad"]);
            Assert.Equal("not-applied", changes["ConfigMap/good"]);
            Assert.Equal("not-applied", changes[$"ConfigMap/{elsewhere}"]);
            Assert.NotNull(await cli.GetAsync($"/api/v1/namespaces/{cli.Namespace}"));
            foreach (var name in new[] { "good", "bad" })
            {
                Assert.Null(await cli.GetAsync($"/api/v1/namespaces/{cli.Namespace}/configmaps/{name}"));
            }

            Assert.Null(await cli.GetAsync($"/api/v1/namespaces/default/configmaps/{elsewhere}"));
            var entry = await cli.EntryAsync(commit);
            Assert.Equal("Failed", entry?.Phase);
            Assert.Contains("ConfigMap", entry!.Message, StringComparison.Ordinal);
        }
        finally
        {
            cli.Kubectl("delete", "configmap", "-n", "default", "--ignore-not-found", elsewhere);
        }
    }
}
