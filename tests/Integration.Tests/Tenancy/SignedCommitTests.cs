using System.Text.Json.Nodes;
using GitOps.Integration.Tests.Sync;

namespace GitOps.Integration.Tests.Tenancy;

/// <summary>
/// <c>gitops sync --verify-ssh-allowed-signers</c> against a real server: an unsigned commit is
/// refused before rendering (nothing applied, the note says why), a signed one syncs.
/// </summary>
public sealed class SignedCommitTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Cli_UnsignedThenSignedCommit_RefusesThenSyncs()
    {
        await using var cli = new GitOpsCli(cluster, "signed");
        var key = Path.Combine(cli.Work.Root, "..", $"{cli.Namespace}-key");
        Processes.Run("ssh-keygen", Path.GetTempPath(), null, "-q", "-t", "ed25519", "-N", "", "-C", "ops", "-f", key);
        var signers = key + ".signers";
        File.WriteAllText(signers, $"ops@example.test {File.ReadAllText(key + ".pub")}");
        cli.Work.Write("ns.yaml", Yaml.Namespace(cli.Namespace)).Write("a.yaml", Yaml.ConfigMap(cli.Namespace, "a", ("k", "1")));
        var unsigned = cli.CommitAndPush("unsigned");

        var refused = cli.Run(cli.SyncArgs("json", null, "--verify-ssh-allowed-signers", signers));

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("not signed by a trusted key", (string?)JsonNode.Parse(refused.Stdout)!["message"], StringComparison.Ordinal);
        Assert.Null(await cli.GetAsync($"/api/v1/namespaces/{cli.Namespace}"));
        Assert.Contains("not signed by a trusted key", (await cli.EntryAsync(unsigned))!.Message, StringComparison.Ordinal);

        cli.Work.Write("a.yaml", Yaml.ConfigMap(cli.Namespace, "a", ("k", "2")));
        cli.Work.Git("add", "-A");
        cli.Work.Git("-c", "gpg.format=ssh", "-c", $"user.signingkey={key}.pub", "commit", "-q", "-S", "-m", "signed");
        cli.Work.Git("push", "-q", "origin", "HEAD:main");
        var synced = cli.Run(cli.SyncArgs("json", null, "--verify-ssh-allowed-signers", signers));

        Assert.True(synced.ExitCode == 0, synced.Stdout + synced.Stderr);
        Assert.Equal("2", (string?)(await cli.GetAsync($"/api/v1/namespaces/{cli.Namespace}/configmaps/a"))!["data"]!["k"]);
        File.Delete(key);
        File.Delete(key + ".pub");
        File.Delete(signers);
    }
}
