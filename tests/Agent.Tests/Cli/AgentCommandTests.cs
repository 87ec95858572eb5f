using GitOps.Agent.Tests.Git;

namespace GitOps.Agent.Tests.Cli;

/// <summary>
/// <c>gitops agent</c> with a configuration it cannot use: it exits 2 before it talks to any
/// cluster, the problem on stderr (one line when there is one), never an agent running with a
/// setting silently dropped or defaulted.
/// </summary>
public sealed class AgentCommandTests : IDisposable
{
    private const string Target = "targets:\n- name: app\n  repository: https://git.example.com/deploy.git\n";
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Theory]
    [InlineData("port: 70000\n" + Target, "port: must be an integer from 1 to 65535")]
    [InlineData(Target + "  intervall: 1m\n", "targets[0].intervall: unknown key (did you mean interval?)")]
    [InlineData("backoff: {initial: 10s, max: 5s}\n" + Target, "backoff.max: must be at least backoff.initial (10s)")]
    public void Agent_OneConfigProblem_ExitsTwoWithOneLineNamingIt(string yaml, string problem)
    {
        var config = folder.Combine("agent.yaml");
        File.WriteAllText(config, yaml);

        var (exit, stdout, stderr) = RenderCommandTests.Gitops("agent", "--config", config, "--kubeconfig", folder.Combine("no-kubeconfig"));

        Assert.Equal(2, exit);
        Assert.Equal($"error: {config}: {problem}\n", stderr.ReplaceLineEndings("\n"));
        Assert.Empty(stdout);
    }

    [Fact]
    public void Agent_ConfigFileMissing_ExitsTwoNamingIt()
    {
        var config = folder.Combine("absent.yaml");

        var (exit, _, stderr) = RenderCommandTests.Gitops("agent", "--config", config);

        Assert.Equal(2, exit);
        Assert.Contains("absent.yaml", stderr, StringComparison.Ordinal);
    }
}
