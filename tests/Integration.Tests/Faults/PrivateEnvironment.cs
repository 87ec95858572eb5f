namespace GitOps.Integration.Tests.Faults;

/// <summary>
/// A control plane of a test class's own (eng/testenv.sh in a folder of its own), so a fault test
/// can stop its API server without touching the one every other test runs against.
/// </summary>
public sealed class PrivateEnvironment : IAsyncLifetime
{
    private readonly string script = Path.Combine(Deploy.DeployFolder.RepositoryPath("eng"), "testenv.sh");
    private readonly Dictionary<string, string> env = new() { ["GITOPS_TESTENV_DIR"] = Path.Combine(Path.GetTempPath(), ClusterFixture.UniqueName("faults")) };

    public string Kubeconfig => Path.Combine(env["GITOPS_TESTENV_DIR"], "kubeconfig");

    internal ClusterFixture Cluster => new(Kubeconfig);

    public Task InitializeAsync() => Task.Run(() => Script("up"));

    /// <summary>The API server goes away (connections refused); etcd and the controller-manager stay.</summary>
    public Task StopApiServerAsync() => Task.Run(() => Script("stop-apiserver"));

    /// <summary>The same API server (port, data, credentials) is back and healthy.</summary>
    public Task StartApiServerAsync() => Task.Run(() => Script("start-apiserver"));

    public Task DisposeAsync() => Task.Run(() => Script("down"));

    private void Script(string verb) => Processes.Run("bash", Path.GetTempPath(), env, script, verb);
}
