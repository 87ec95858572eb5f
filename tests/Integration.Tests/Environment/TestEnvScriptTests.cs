using System.Net.Sockets;

namespace GitOps.Integration.Tests.Environment;

/// <summary>
/// eng/testenv.sh itself: a second environment in its own folder runs beside the one the tests
/// use, shares nothing with it, and <c>down</c> leaves no process and no folder behind;
/// <c>stop-apiserver</c>/<c>start-apiserver</c> make an outage of that environment only.
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
            Assert.Equal(4, pids.Length); // etcd, kube-apiserver, kube-controller-manager, podsim

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

    [Fact]
    public void StopThenStartApiserver_SecondEnvironment_RefusesThenServesTheSameObjects()
    {
        var script = Path.Combine(Deploy.DeployFolder.RepositoryPath("eng"), "testenv.sh");
        var dir = Path.Combine(Path.GetTempPath(), ClusterFixture.UniqueName("env"));
        var env = new Dictionary<string, string> { ["GITOPS_TESTENV_DIR"] = dir };
        var kubeconfig = Path.Combine(dir, "kubeconfig");
        try
        {
            Processes.Run("bash", Path.GetTempPath(), env, script, "up");
            var before = Pids(dir);
            var server = new Uri(Server(kubeconfig));
            Kubectl(kubeconfig, "create", "configmap", "kept", "-n", "default", "--from-literal=a=b");

            Processes.Run("bash", Path.GetTempPath(), env, script, "stop-apiserver");

            Assert.False(Directory.Exists($"/proc/{before["kube-apiserver"]}"), "the kube-apiserver still runs");
            Assert.True(Directory.Exists($"/proc/{before["etcd"]}") && Directory.Exists($"/proc/{before["kube-controller-manager"]}"), "etcd and the controller-manager keep running");
            Assert.True(Directory.Exists($"/proc/{before["podsim"]}"), "the pod simulator keeps running");
            using (var client = new TcpClient())
            {
                var refused = Assert.Throws<SocketException>(() => client.Connect(server.Host, server.Port));
                Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
            }

            Processes.Run("bash", Path.GetTempPath(), env, script, "start-apiserver");

            var after = Pids(dir);
            Assert.NotEqual(before["kube-apiserver"], after["kube-apiserver"]);
            Assert.Equal((before["etcd"], before["kube-controller-manager"], before["podsim"]), (after["etcd"], after["kube-controller-manager"], after["podsim"]));
            Assert.Equal(server, new Uri(Server(kubeconfig)));
            Assert.Equal("b", Kubectl(kubeconfig, "get", "configmap", "kept", "-n", "default", "-o", "jsonpath={.data.a}"));
        }
        finally
        {
            Processes.Run("bash", Path.GetTempPath(), env, script, "down");
        }

        Assert.False(Directory.Exists(dir));
    }

    private static Dictionary<string, string> Pids(string dir) =>
        File.ReadAllLines(Path.Combine(dir, "pids")).Select(l => l.Split(' ')).ToDictionary(p => p[1], p => p[0]);

    private static string Kubectl(string kubeconfig, params string[] args) =>
        Processes.Run(Processes.Kubectl, Path.GetTempPath(), null, ["--kubeconfig", kubeconfig, .. args]);

    private static string Server(string kubeconfig) =>
        Processes.Run(Processes.Kubectl, Path.GetTempPath(), null, "--kubeconfig", kubeconfig, "config", "view", "--minify", "-o", "jsonpath={.clusters[0].cluster.server}");
}
