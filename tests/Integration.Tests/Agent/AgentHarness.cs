using GitOps.Agent.Git;
using GitOps.Agent.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GitOps.Integration.Tests.Agent;

/// <summary>
/// The long-running agent in-process against the real API server, following a bare "remote"
/// repository that the test pushes to, with its own namespace for the Lease and inventories.
/// </summary>
internal sealed class AgentHarness : IAsyncDisposable
{
    private readonly List<IHost> hosts = [];
    private readonly string root = Path.Combine(Path.GetTempPath(), ClusterFixture.UniqueName("agent"));

    public AgentHarness(ClusterFixture cluster, string label)
    {
        Sync = new SyncHarness(cluster, label);
        Directory.CreateDirectory(root);
        Remote = Path.Combine(root, "remote.git");
        Processes.Run("git", root, null, "init", "-q", "--bare", "-b", "main", Remote);
        Sync.Repo.Git("remote", "add", "origin", Remote);
        Sync.Kubectl("create", "namespace", Sync.Namespace);
    }

    public SyncHarness Sync { get; }

    public string Remote { get; }

    public string Namespace => Sync.Namespace;

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(2);

    public string Push()
    {
        Sync.Repo.Git("push", "-q", "origin", "HEAD:main");
        return Sync.Repo.Head;
    }

    public AgentConfig Config(string identity, string? repository = null) =>
        new(ClusterName, Namespace, [new TargetConfig("app", repository ?? Remote, "main", ".") { Interval = Interval, Prune = true, DefaultNamespace = Namespace }])
        {
            Port = Ports.Free(),
            CacheDir = Path.Combine(root, $"cache-{identity}"),
            LeaseDuration = TimeSpan.FromSeconds(4),
            Identity = identity,
        };

    public const string ClusterName = "test";

    public async Task<IHost> StartAsync(AgentConfig config)
    {
        var host = AgentHost.Build(config, GitOps.Agent.Kube.KubeApi.Connect(KubeconfigPath));
        hosts.Add(host);
        await host.StartAsync();
        return host;
    }

    public string KubeconfigPath { get; init; } = System.Environment.GetEnvironmentVariable(ClusterFixture.Variable)!;

    public static AgentMetrics Metrics(IHost host) => host.Services.GetRequiredService<AgentMetrics>();

    /// <summary>Polls the notes of the remote until <paramref name="commit"/> has an entry in <paramref name="phase"/> (of <paramref name="target"/>, when given).</summary>
    public async Task<CommitStatusEntry> WaitForStatusAsync(string commit, string phase, TimeSpan timeout, string? target = null)
    {
        var store = new GitNotesStatus(Path.Combine(root, "reader-cache"));
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var statuses = await store.ReadStatusAsync(new GitSourceSpec(Remote, "main", "."), "main", 10, CancellationToken.None);
            var entry = statuses.FirstOrDefault(s => s.CommitSha == commit)?.Entries.FirstOrDefault(e => e.Phase == phase && (target is null || e.Target == target));
            if (entry is not null)
            {
                return entry;
            }

            if (DateTime.UtcNow > deadline)
            {
                var seen = string.Join("; ", statuses.Select(s => $"{s.CommitSha[..7]}: {string.Join(",", s.Entries.Select(e => e.Phase))}"));
                throw new TimeoutException($"no {phase} status on {commit[..7]} within {timeout.TotalSeconds}s (seen: {seen})");
            }

            await Task.Delay(200);
        }
    }

    public static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{what} did not happen within {timeout.TotalSeconds}s");
    }


    public async ValueTask DisposeAsync()
    {
        foreach (var host in hosts)
        {
            await host.StopAsync();
            host.Dispose();
        }

        await Sync.DisposeAsync();
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // leftover temp files are harmless
        }
    }
}
