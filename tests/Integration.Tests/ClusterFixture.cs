using GitOps.Agent.Kube;

namespace GitOps.Integration.Tests;

/// <summary>
/// The API server the integration tests run against: a kubeconfig named by GITOPS_TEST_KUBECONFIG
/// (eng/testenv.sh up prints it). A missing variable fails every test with the way to fix it;
/// these tests are never skipped. The variable is separate from KUBECONFIG on purpose, so a
/// developer's own cluster is never touched by accident.
/// </summary>
public sealed class ClusterFixture
{
    public const string Variable = "GITOPS_TEST_KUBECONFIG";

    public ClusterFixture()
    {
        Kubeconfig = System.Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path && File.Exists(path)
            ? path
            : throw new InvalidOperationException(
                $"{Variable} does not name a kubeconfig. Start a test API server with `eval \"$(eng/testenv.sh up)\"` "
                + "(or run every test with eng/test.sh), or export it to point at a disposable cluster.");
    }

    /// <summary>A cluster of the test's own (a private environment, see <c>Faults/PrivateEnvironment</c>).</summary>
    internal ClusterFixture(string kubeconfig) => Kubeconfig = kubeconfig;

    public string Kubeconfig { get; }

    internal KubeApi Connect() => KubeApi.Connect(Kubeconfig);

    /// <summary>A name no other test (or earlier run) uses: t-&lt;prefix&gt;-&lt;8 hex&gt;.</summary>
    public static string UniqueName(string prefix) => $"t-{prefix}-{Guid.NewGuid().ToString("N")[..8]}";
}
