using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using GitOps.Agent.Git;
using GitOps.Agent.Kube;

namespace GitOps.Integration.Tests.Sync;

/// <summary>
/// The real <c>gitops sync</c> executable against a local bare "remote" it reads from and pushes
/// its notes to, with a target and namespace of the test's own; cleans up what it made.
/// </summary>
internal sealed class GitOpsCli : IAsyncDisposable
{
    private readonly ClusterFixture cluster;
    private readonly string folder = Path.Combine(Path.GetTempPath(), ClusterFixture.UniqueName("cli"));

    public GitOpsCli(ClusterFixture cluster, string label)
    {
        this.cluster = cluster;
        Namespace = ClusterFixture.UniqueName(label);
        Directory.CreateDirectory(folder);
        Remote = Path.Combine(folder, "remote.git");
        Processes.Run("git", folder, null, "init", "-q", "--bare", "-b", "main", Remote);
        Work.Git("remote", "add", "origin", Remote);
    }

    public TestRepo Work { get; } = new();

    public string Remote { get; }

    /// <summary>Also the target's name, so the ApplySet parent is gitops-&lt;Namespace&gt;.</summary>
    public string Namespace { get; }

    public string CommitAndPush(string message)
    {
        var sha = Work.Commit(message);
        Work.Git("push", "-q", "origin", "HEAD:main");
        return sha;
    }

    /// <summary>The arguments of a pass of this target; <paramref name="kubeconfig"/> defaults to the test cluster's.</summary>
    public string[] SyncArgs(string output, string? kubeconfig = null, params string[] extra) =>
    [
        "sync", "--repo", Remote, "--branch", "main", "--path", ".", "--target", Namespace, "--namespace", Namespace,
        "--kubeconfig", kubeconfig ?? cluster.Kubeconfig, "--cache-dir", Path.Combine(folder, "cache"), "-o", output, .. extra,
    ];

    public ProcessResult Run(params string[] args) => Processes.Exec("dotnet", folder, null, [Dll, .. args]);

    /// <summary>Starts the process without waiting (to signal it); output is collected.</summary>
    public Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])[Dll, .. args])
        {
            start.ArgumentList.Add(a);
        }

        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>This target's entry in the commit's note, as <c>gitops status</c> reads it; null when none.</summary>
    public async Task<CommitStatusEntry?> EntryAsync(string commit)
    {
        var store = new GitNotesStatus(Path.Combine(folder, "reader"));
        var statuses = await store.ReadStatusAsync(new GitSourceSpec(Remote, "main", "."), "main", 10, CancellationToken.None);
        return statuses.FirstOrDefault(s => s.CommitSha == commit)?.Entries.SingleOrDefault(e => e.Target == Namespace);
    }

    public async Task<CommitStatusEntry> WaitForEntryAsync(string commit, string phase, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var entry = await EntryAsync(commit);
            if (entry?.Phase == phase)
            {
                return entry;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no {phase} entry on {commit[..7]} within {timeout.TotalSeconds:0}s (last: {entry?.Phase} {entry?.Message})");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>The note as pushed, raw text, read in the remote.</summary>
    public string RawNote(string commit) => Processes.Run("git", folder, null, "--git-dir", Remote, "notes", "--ref=gitops", "show", commit);

    /// <summary>Every version of every note ever pushed: the notes ref's whole history, patches included.</summary>
    public string NotesHistory() => Processes.Run("git", folder, null, "--git-dir", Remote, "log", "-p", "refs/notes/gitops");

    public string Kubectl(params string[] args) => Processes.Run(Processes.Kubectl, folder, null, ["--kubeconfig", cluster.Kubeconfig, .. args]);

    public async Task<JsonObject?> GetAsync(string path)
    {
        using var api = cluster.Connect();
        return await api.GetAsync(path, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        using (var api = cluster.Connect())
        {
            await api.DeleteAsync($"/api/v1/namespaces/{Namespace}", CancellationToken.None);
            await api.DeleteAsync($"/api/v1/namespaces/default/configmaps/gitops-{Namespace}", CancellationToken.None);
        }

        Work.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    internal static string Dll => Path.Combine(AppContext.BaseDirectory, "gitops.dll");

    /// <summary>A kubeconfig for an API server on <paramref name="port"/> of loopback.</summary>
    public string DeadKubeconfig(int port)
    {
        var path = Path.Combine(folder, "dead.kubeconfig");
        File.WriteAllText(path, string.Create(CultureInfo.InvariantCulture, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: dead
              cluster:
                server: https://127.0.0.1:{port}
                insecure-skip-tls-verify: true
            users:
            - name: dead
              user:
                token: not-a-real-token
            contexts:
            - name: dead
              context: {"{"}cluster: dead, user: dead{"}"}
            current-context: dead
            """));
        return path;
    }
}
