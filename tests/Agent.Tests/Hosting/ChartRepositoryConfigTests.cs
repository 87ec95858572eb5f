using GitOps.Agent.Hosting;
using GitOps.Agent.Render;

namespace GitOps.Agent.Tests.Hosting;

/// <summary><c>helm.repositories</c> of a target: each key bound, secrets only by file, bad entries named.</summary>
public sealed class ChartRepositoryConfigTests
{
    private const string Target = "targets:\n- name: app\n  repository: https://git.example.com/deploy.git\n  helm:\n    repositories:\n";

    [Fact]
    public void Parse_Repositories_BindEveryKey()
    {
        var config = AgentConfigLoader.Parse("agent.yaml", Target
            + "      - {name: stable, url: 'https://charts.example.com/stable', usernameFile: /s/user, passwordFile: /s/pass, caFile: /s/ca.pem, allowHosts: [cdn.example.com]}\n"
            + "      - {name: ghcr, url: 'oci://ghcr.io/acme/charts', insecureSkipTlsVerify: true}\n");

        var repositories = config.Targets[0].Render.Helm.Repositories;
        Assert.Equal(
            [
                new ChartRepository("stable", "https://charts.example.com/stable", "/s/user", "/s/pass", "/s/ca.pem", false) { AllowHosts = repositories[0].AllowHosts },
                new ChartRepository("ghcr", "oci://ghcr.io/acme/charts", null, null, null, true) { AllowHosts = repositories[1].AllowHosts },
            ],
            repositories);
        Assert.Equal(["cdn.example.com"], repositories[0].AllowHosts);
        Assert.Empty(repositories[1].AllowHosts);
        Assert.Equal("ghcr.io:443", repositories[1].HostPort);
        Assert.Equal("ghcr.io", repositories[1].Registry);
    }

    [Theory]
    [InlineData("- {name: a, url: 'https://x.example.com', password: hunter2}", "targets[0].helm.repositories[0].password: secrets are never inline; put each in a file and name the files with usernameFile and passwordFile")]
    [InlineData("- {name: a, url: 'ftp://x.example.com/charts'}", "targets[0].helm.repositories[0].url: 'ftp://x.example.com/charts' must be an http://, https:// or oci:// URL (oci://host[:port]/path)")]
    [InlineData("- {name: a, url: 'https://user:pw@x.example.com'}", "targets[0].helm.repositories[0].url: 'https://user:pw@x.example.com' must be an http://, https:// or oci:// URL (oci://host[:port]/path)")]
    [InlineData("- {name: a, url: 'https://x.example.com', usernameFile: /u}", "targets[0].helm.repositories[0].passwordFile: usernameFile and passwordFile go together")]
    [InlineData("- {url: 'https://x.example.com'}", "targets[0].helm.repositories[0].name: required")]
    [InlineData("- {name: a, url: 'https://x.example.com'}\n      - {name: a, url: 'https://y.example.com'}", "targets[0].helm.repositories[1].name: 'a' names another repository of this target already")]
    [InlineData("- {name: a, url: 'https://x.example.com', caFiles: /ca}", "targets[0].helm.repositories[0].caFiles: unknown key (did you mean caFile?)")]
    [InlineData("- https://x.example.com", "targets[0].helm.repositories[0]: must be a mapping")]
    public void Parse_BadRepository_IsAnErrorNamingIt(string entry, string expected)
    {
        var error = Assert.Throws<AgentConfigException>(() => AgentConfigLoader.Parse("agent.yaml", Target + "      " + entry + "\n"));

        Assert.Contains(expected, error.Errors);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://charts.example.com/stable", "https://charts.example.com/stable/", true)]
    [InlineData("https://charts.example.com/stable", "https://charts.example.com/other", false)]
    [InlineData("https://charts.example.com/stable", "@stable", true)]
    [InlineData("https://charts.example.com/stable", "alias:stable", true)]
    [InlineData("https://charts.example.com/stable", "https://charts.example.com/stable/sub", false)]
    [InlineData("oci://ghcr.io/acme", "oci://ghcr.io/acme/charts", true)]
    [InlineData("oci://ghcr.io/acme", "oci://ghcr.io/acmeother", false)]
    public void Matches_DependencyRepository(string url, string dependency, bool expected) =>
        Assert.Equal(expected, new ChartRepository("stable", url, null, null, null, false).Matches(dependency));
}
