using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using GitOps.Agent.Git;
using GitOps.Agent.Render;
using GitOps.Agent.Tests.Git;
using GitOps.Diff.Json;
using GitOps.Diff.Render;
using GitOps.TestSupport.Helm;

namespace GitOps.Agent.Tests.Render;

/// <summary>
/// Chart dependencies from a real HTTP chart repository (lighttpd with basic auth, packages made
/// by <c>helm package</c>): the oracle is <c>helm dependency build</c> then <c>helm template</c> of
/// the same chart; wrong credentials and unconfigured repositories fail clearly without secrets;
/// pinned packages are fetched once; hosts other than the repository's are unreachable.
/// </summary>
public sealed class ChartRepositoryTests : IDisposable
{
    private readonly TempFolder temp = new();
    private readonly ChartRepositoryServer server = new();

    public void Dispose()
    {
        server.Dispose();
        temp.Dispose();
    }

    [Fact]
    public async Task Render_DependencyFromHttpRepository_EqualsHelmTemplateAfterDependencyBuild()
    {
        server.Publish(ChartFolders.Lib(temp.Path, "1.0.0"));
        server.Publish(ChartFolders.Lib(temp.Path, "1.2.3"));
        ChartFolders.App(temp.Combine("repo", "app"), server.Url, "^1.0.0");

        var files = await new ToolRenderer(RenderTool.Options).RenderAsync(Job("app", Repository()), CancellationToken.None);

        var actual = Canonical(files);
        Assert.Equal(Oracle(temp.Combine("repo", "app"), server.HelmArgs()), actual);
        Assert.Equal(3, actual.Count);
        Assert.Contains(actual, o => o.Contains("\"libVersion\":\"1.2.3\"", StringComparison.Ordinal)); // the range's newest
        Assert.Contains(files, f => f.Path == "app/charts/lib/templates/cm.yaml (helm template)");
    }

    [Fact]
    public async Task Render_ChartLockPinsAnOlderVersion_FetchesThatVersionAsDependencyBuildDoes()
    {
        server.Publish(ChartFolders.Lib(temp.Path, "1.0.0"));
        ChartFolders.App(temp.Combine("repo", "app"), server.Url, "^1.0.0");
        WriteLock(temp.Combine("repo", "app"));
        server.Publish(ChartFolders.Lib(temp.Path, "1.2.3"));

        var actual = Canonical(await new ToolRenderer(RenderTool.Options).RenderAsync(Job("app", Repository()), CancellationToken.None));

        Assert.Equal(Oracle(temp.Combine("repo", "app"), server.HelmArgs()), actual);
        Assert.Contains(actual, o => o.Contains("\"libVersion\":\"1.0.0\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Render_DependencyNamingTheRepositoryByName_EqualsHelmTemplateAfterDependencyBuild()
    {
        server.Publish(ChartFolders.Lib(temp.Path, "1.0.0"));
        ChartFolders.App(temp.Combine("repo", "app"), "@charts", "1.0.0");

        var actual = Canonical(await new ToolRenderer(RenderTool.Options).RenderAsync(Job("app", Repository()), CancellationToken.None));

        Assert.Equal(Oracle(temp.Combine("repo", "app"), server.HelmArgs()), actual);
        Assert.Equal(3, actual.Count);
    }

    [Fact]
    public async Task Render_DependencyNameThatIsAPath_IsRefused()
    {
        ChartFolders.App(temp.Combine("repo", "app"), server.Url, "1.0.0", dependency: "../../lib");

        var ex = await Assert.ThrowsAsync<RenderException>(() => new ToolRenderer(RenderTool.Options).RenderAsync(Job("app", Repository()), CancellationToken.None));

        Assert.Contains("Chart.yaml names a dependency '../../lib'; a chart name is letters, digits", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_PinnedDependencyAgainAfterACacheMiss_ReachesNoNetwork()
    {
        server.Publish(ChartFolders.Lib(temp.Path, "1.0.0"));
        ChartFolders.App(temp.Combine("repo", "app"), server.Url, "1.0.0");
        var renderer = new ToolRenderer(RenderTool.Options);

        var repository = Repository();
        await renderer.RenderAsync(Job("app", repository, treeKey: "tree-1"), CancellationToken.None);
        server.Stop();
        var again = await renderer.RenderAsync(Job("app", repository, treeKey: "tree-2"), CancellationToken.None);

        Assert.Equal(1, renderer.Dependencies.Fetches);
        Assert.Equal(2, renderer.Runs); // helm template ran again: the render cache missed, the package cache did not
        Assert.Contains(Canonical(again), o => o.Contains("\"libVersion\":\"1.0.0\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Render_WrongPassword_FailsNamingTheRepositoryWithoutThePassword()
    {
        server.Publish(ChartFolders.Lib(temp.Path, "1.0.0"));
        ChartFolders.App(temp.Combine("repo", "app"), server.Url, "1.0.0");
        var wrong = Repository() with { PasswordFile = server.SecretFile("wrong", "not-the-password-93ab") };

        var ex = await Assert.ThrowsAsync<RenderException>(() => new ToolRenderer(RenderTool.Options).RenderAsync(Job("app", wrong), CancellationToken.None));

        Assert.Contains($"fetching 'lib' 1.0.0 from chart repository 'charts' ({server.Url}) failed", ex.Message, StringComparison.Ordinal);
        Assert.Contains("401 Unauthorized", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password-93ab", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ChartRepositoryServer.Password, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("gitops-render-", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_FetchErrorEchoingThePassword_IsRedacted()
    {
        // helm echoes a file path it cannot open; a path holding the password stands for any echo of it
        server.Publish(ChartFolders.Lib(temp.Path, "1.0.0"));
        ChartFolders.App(temp.Combine("repo", "app"), server.Url, "1.0.0");
        var echo = Repository() with { CaFile = $"/nonexistent/{ChartRepositoryServer.Password}.pem" };

        var ex = await Assert.ThrowsAsync<RenderException>(() => new ToolRenderer(RenderTool.Options).RenderAsync(Job("app", echo), CancellationToken.None));

        Assert.Contains("/nonexistent/***.pem", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ChartRepositoryServer.Password, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_DependencyFromAnUnconfiguredRepository_IsRefusedBeforeAnyRequest()
    {
        server.Publish(ChartFolders.Lib(temp.Path, "1.0.0"));
        ChartFolders.App(temp.Combine("repo", "app"), server.Url, "1.0.0");
        server.Stop(); // refused before anything runs: a request would fail differently
        var other = new ChartRepository("other", "https://charts.example.com/stable", null, null, null, false);

        var ex = await Assert.ThrowsAsync<RenderException>(() => new ToolRenderer(RenderTool.Options).RenderAsync(Job("app", other), CancellationToken.None));

        Assert.Contains($"chart dependency 'lib' from {server.Url} is not vendored under charts/ and its repository is not a chart repository of this target (configured: https://charts.example.com/stable)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_VendoredDependency_AsksNoRepository()
    {
        ChartFolders.App(temp.Combine("repo", "app"), server.Url, "1.0.0");
        var lib = ChartFolders.Lib(temp.Path, "1.0.0");
        Directory.CreateDirectory(temp.Combine("repo", "app", "charts"));
        Directory.Move(lib, temp.Combine("repo", "app", "charts", "lib"));
        var renderer = new ToolRenderer(RenderTool.Options);
        server.Stop();

        var files = await renderer.RenderAsync(Job("app", Repository()), CancellationToken.None);

        Assert.Equal(3, Canonical(files).Count);
        Assert.Equal(0, renderer.Dependencies.Fetches);
    }

    [Fact]
    public async Task Render_IndexLinkingAnotherHost_IsStoppedUnlessThatHostIsAllowed()
    {
        var elsewhere = MachineAddress();
        server.PublishElsewhere(ChartFolders.Lib(temp.Path, "1.0.0"), elsewhere);
        ChartFolders.App(temp.Combine("repo", "app"), server.Url, "1.0.0");

        var ex = await Assert.ThrowsAsync<RenderException>(() => new ToolRenderer(RenderTool.Options).RenderAsync(Job("app", Repository()), CancellationToken.None));
        var allowed = await new ToolRenderer(RenderTool.Options).RenderAsync(Job("app", Repository() with { AllowHosts = [elsewhere.ToString()] }), CancellationToken.None);

        Assert.Contains("proxyconnect", ex.Message, StringComparison.Ordinal);
        Assert.Contains("only the repository's host and its allowHosts are reachable", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, Canonical(allowed).Count);
    }

    private ChartRepository Repository() => new(
        "charts", server.Url, server.SecretFile("user", ChartRepositoryServer.User), server.SecretFile("password", ChartRepositoryServer.Password), null, false);

    private RenderJob Job(string path, ChartRepository? repository = null, string? treeKey = null) =>
        RenderTool.Job(temp.Combine("repo"), SourceKind.Helm, path, treeKey, HelmSettings.None with { Repositories = repository is null ? [] : [repository] });

    private void WriteLock(string chartDir) => File.WriteAllText(Path.Combine(chartDir, "Chart.lock"), server.LockOf(chartDir));

    /// <summary>The tool as oracle: <c>helm dependency build</c>, then <c>helm template</c>, on a copy of the chart.</summary>
    internal static List<string> Oracle(string chartDir, string[] buildArgs)
    {
        var copy = ChartFolders.Copy(chartDir);
        try
        {
            Helm.Run(copy, ["dependency", "build", ".", .. buildArgs]);
            var output = Helm.Run(copy, "template", "golden", ".", "--namespace", "golden", "--include-crds");
            return Canonical([new ManifestFile("oracle.yaml", Encoding.UTF8.GetBytes(output))]);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    internal static List<string> Canonical(IReadOnlyList<ManifestFile> files) =>
        ManifestRenderer.Render(files).Select(m => CanonicalJson.Text(m.Object)).Order(StringComparer.Ordinal).ToList();

    /// <summary>An address of this machine that is not loopback (Go never proxies loopback, so only such a host shows the block).</summary>
    private static IPAddress MachineAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.OperationalStatus == OperationalStatus.Up && i.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses).Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
        ?? throw new InvalidOperationException("this machine has no IPv4 address besides loopback; the test needs one to stand for another host");
}
