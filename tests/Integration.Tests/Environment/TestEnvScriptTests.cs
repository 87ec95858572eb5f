namespace GitOps.Integration.Tests.Environment;

/// <summary>
/// eng/testenv.sh itself: a second environment in its own folder runs beside the one the tests
/// use, shares nothing with it, and <c>down</c> leaves no process and no folder behind.
/// </summary>
public sealed class TestEnvScriptTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public void UpThenDown_SecondEnvironment_RunsBesideTheFirstAndLeavesNothing()
    {
        var script = Path.Combine(Deploy.DeployFolder.RepositoryPath("eng"), "testenv.sh");
        var dir = Path.Combine(Path.GetTempPath(), ClusterFixture.UniqueName("env"));
        var env = new Dictionary<string, string> { ["GITOPS_TESTENV_DIR"] = dir };
        string[] pids = [];
        try
        {
            var exports = Processes.Run("bash", Path.GetTempPath(), env, script, "up");
            pids = File.ReadAllLines(Path.Combine(dir, "pids")).Select(l => l.Split(' ')[0]).ToArray();
            var kubeconfig = Path.Combine(dir, "kubeconfig");
            Assert.Contains($"export KUBECONFIG={kubeconfig}", exports, StringComparison.Ordinal);
            Assert.Equal(3, pids.Length); // etcd, kube-apiserver, kube-controller-manager

            var version = Processes.Run(Processes.Kubectl, dir, null, "--kubeconfig", kubeconfig, "version", "-o", "json");
            Assert.Contains("\"gitVersion\": \"v1.20.2\"", version, StringComparison.Ordinal);
            Assert.NotEqual(Server(cluster.Kubeconfig), Server(kubeconfig));
        }
        finally
        {
            Processes.Run("bash", Path.GetTempPath(), env, script, "down");
        }

        Assert.False(Directory.Exists(dir));
        Assert.All(pids, pid => Assert.False(Directory.Exists($"/proc/{pid}"), $"process {pid} still runs"));
    }

    private static string Server(string kubeconfig) =>
        Processes.Run(Processes.Kubectl, Path.GetTempPath(), null, "--kubeconfig", kubeconfig, "config", "view", "--minify", "-o", "jsonpath={.clusters[0].cluster.server}");
}
