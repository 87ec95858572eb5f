using System.Text.Json.Nodes;
using GitOps.Agent.Git;
using GitOps.Agent.Kube;
using GitOps.Agent.Sync;
using GitOps.Diff.Render;

namespace GitOps.Integration.Tests;

/// <summary>
/// One test's world: a fresh git repository, a unique namespace and target, the real engine
/// and the real git source, and cleanup of everything the test made on the server.
/// </summary>
internal sealed class SyncHarness : IAsyncDisposable
{
    private readonly ClusterFixture cluster;
    private readonly string cacheDir = Path.Combine(Path.GetTempPath(), ClusterFixture.UniqueName("cache"));
    private readonly List<string> cleanup = [];

    public SyncHarness(ClusterFixture cluster, string label)
    {
        this.cluster = cluster;
        Api = cluster.Connect();
        Namespace = ClusterFixture.UniqueName(label);
        Target = new SyncTarget(Namespace, InventoryNamespace: "default", DefaultNamespace: Namespace, Prune: true);
        cleanup.Add($"/api/v1/namespaces/{Namespace}");
        cleanup.Add($"/api/v1/namespaces/default/configmaps/gitops-{Namespace}");
    }

    internal KubeApi Api { get; }

    public TestRepo Repo { get; } = new();

    public string Namespace { get; }

    internal SyncTarget Target { get; set; }

    /// <summary>Deletes this API path when the test ends (a namespace, a CRD, …).</summary>
    public void CleanUp(string path) => cleanup.Add(path);

    /// <summary>Where passes read live objects from; null: a LIST per collection, as the CLI does.</summary>
    internal GitOps.Agent.Kube.Live.ILiveSource? Live { get; set; }

    /// <summary>The engine's options for the passes of this test.</summary>
    internal SyncEngineOptions Options { get; set; } = new();

    internal async Task<SyncResult> SyncAsync(bool dryRun = false, TimeSpan? timeout = null, string? revision = null)
    {
        var git = new GitSource(cacheDir);
        var source = await git.GetRevisionAsync(new GitSourceSpec(Repo.Root, "main", "."), revision, CancellationToken.None);
        var files = source.Files.Select(f => new ManifestFile(f.Path, f.Content)).ToList();
        var engine = Target.ServiceAccount is { } sa
            ? new SyncEngine(Api.Impersonating(sa), Options, TimeProvider.System, Live, own: (Api, new GitOps.Agent.Kube.Live.LiveState(Api, 8)))
            : new SyncEngine(Api, Options, TimeProvider.System, Live);
        return await engine.RunAsync(new SyncRequest(Target, source.CommitSha, files) { DryRun = dryRun, Timeout = timeout }, CancellationToken.None);
    }

    public Task<JsonObject?> GetAsync(string path) => Api.GetAsync(path, CancellationToken.None);

    public Task<JsonObject?> ConfigMapAsync(string name) => GetAsync($"/api/v1/namespaces/{Namespace}/configmaps/{name}");

    public string Kubectl(params string[] args) =>
        Processes.Run(Processes.Kubectl, Repo.Root, new Dictionary<string, string> { ["KUBECONFIG"] = cluster.Kubeconfig }, args);

    public async ValueTask DisposeAsync()
    {
        foreach (var path in cleanup)
        {
            await Api.DeleteAsync(path, CancellationToken.None);
        }

        Api.Dispose();
        Repo.Dispose();
        if (Directory.Exists(cacheDir))
        {
            Directory.Delete(cacheDir, recursive: true);
        }
    }
}

/// <summary>Manifests the tests write, in the YAML a user would write.</summary>
internal static class Yaml
{
    public static string Namespace(string name) => $"""
        apiVersion: v1
        kind: Namespace
        metadata:
          name: {name}
        """;

    public static string ConfigMap(string ns, string name, params (string Key, string Value)[] data) => $"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {name}
          namespace: {ns}
        data:
        {string.Join("\n", data.Select(d => $"  {d.Key}: \"{d.Value}\""))}
        """;
}
