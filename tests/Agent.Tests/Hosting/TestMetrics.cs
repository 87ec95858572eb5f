using GitOps.Agent.Hosting;
using GitOps.Agent.Kube;

namespace GitOps.Agent.Tests.Hosting;

/// <summary>The agent's metrics over a client that is never used to send (a kubeconfig naming no reachable server).</summary>
internal sealed class TestMetrics : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("metrics").FullName;
    private readonly KubeApi api;

    public TestMetrics()
    {
        var kubeconfig = Path.Combine(folder, "kubeconfig");
        File.WriteAllText(kubeconfig, """
            apiVersion: v1
            kind: Config
            current-context: none
            contexts: [{name: none, context: {cluster: none, user: none}}]
            clusters: [{name: none, cluster: {server: "https://127.0.0.1:9"}}]
            users: [{name: none, user: {token: unused}}]
            """);
        api = KubeApi.Connect(kubeconfig);
        Metrics = new AgentMetrics(api);
    }

    public AgentMetrics Metrics { get; }

    public void Dispose()
    {
        api.Dispose();
        Directory.Delete(folder, recursive: true);
    }
}
