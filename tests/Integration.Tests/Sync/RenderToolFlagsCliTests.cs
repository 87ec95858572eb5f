using GitOps.Agent.Render;

namespace GitOps.Integration.Tests.Sync;

/// <summary>
/// `gitops sync` and `gitops diff` render a chart with the helm `--helm-binary` names, over
/// `GITOPS_HELM` (which stays the fallback), against the real API server and the real helm.
/// </summary>
public sealed class RenderToolFlagsCliTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task SyncAndDiff_HelmBinaryFlag_RenderWithItOverGitopsHelm()
    {
        await using var cli = new GitOpsCli(cluster, "toolflags");
        cli.Kubectl("create", "namespace", cli.Namespace);
        cli.Work.Write("Chart.yaml", "apiVersion: v2\nname: demo\nversion: 0.1.0\n")
            .Write("templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\ndata:\n  v: \"1\"\n");
        cli.CommitAndPush("a chart");
        var env = new Dictionary<string, string> { ["GITOPS_HELM"] = "/no/such/dir/helm" };
        string[] flag = ["--helm-release", "rel", "--helm-binary", RenderOptions.WellKnownHelm];

        var fallback = Run(cli, env, cli.SyncArgs("text"));
        var synced = Run(cli, env, cli.SyncArgs("text", extra: flag));
        var diff = Run(cli, env, ["diff", .. cli.SyncArgs("text", extra: flag)[1..]]);

        Assert.NotEqual(0, fallback.ExitCode); // without the flag, the variable names the (missing) helm
        Assert.Contains("not found at '/no/such/dir/helm'", fallback.Stdout + fallback.Stderr, StringComparison.Ordinal);
        Assert.True(synced.ExitCode == 0, $"exit {synced.ExitCode}: {synced.Stdout}{synced.Stderr}");
        Assert.Equal("1", (string?)(await cli.GetAsync($"/api/v1/namespaces/{cli.Namespace}/configmaps/rel-cm"))?["data"]?["v"]);
        Assert.True(diff.ExitCode == 0, $"exit {diff.ExitCode} (no drift expected): {diff.Stdout}{diff.Stderr}");
    }

    private static ProcessResult Run(GitOpsCli cli, IReadOnlyDictionary<string, string> env, string[] args) =>
        Processes.Exec("dotnet", Path.GetTempPath(), env, [GitOpsCli.Dll, .. args]);
}
