using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using GitOps.Agent.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace GitOps.Integration.Tests.Agent;

/// <summary>
/// <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c> of a started agent over real HTTP, and a busy
/// port failing the start: in-process (the host's StartAsync throws) and as the `gitops agent`
/// process (exit 1, one line on stderr).
/// </summary>
public sealed class StatusEndpointsTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Endpoints_StartedAgent_ServeHealthReadinessAndMetrics()
    {
        await using var a = new AgentHarness(cluster, "status");
        var config = a.Config("solo");
        await a.StartAsync(config);
        using var http = Client(config.Port);

        using var ready = await ReadyAsync(http);
        using var health = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
        using var metrics = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        using var missing = await http.GetAsync(new Uri("/nothing", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("ok\n", await health.Content.ReadAsStringAsync());
        Assert.Equal("text/plain; charset=utf-8", health.Content.Headers.ContentType?.ToString());
        Assert.Equal("ok\n", await ready.Content.ReadAsStringAsync());
        Assert.Equal("text/plain; charset=utf-8", ready.Content.Headers.ContentType?.ToString());
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", metrics.Content.Headers.ContentType?.ToString());
        var text = await metrics.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE gitops_leader gauge\n", text, StringComparison.Ordinal);
        Assert.Contains("gitops_build_info{version=", text, StringComparison.Ordinal);
        Assert.Contains("gitops_api_requests_total{verb=", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("gitops_render_tool_info{tool=\"kustomize\",version=\"v5.", await ToolsReportedAsync(http), StringComparison.Ordinal);
    }

    /// <summary>The tools are asked for their versions in the background at start, each on its own: a scrape soon after shows both.</summary>
    private static async Task<string> ToolsReportedAsync(HttpClient http)
    {
        var text = string.Empty;
        bool Both() => text.Contains("gitops_render_tool_info{tool=\"helm\"", StringComparison.Ordinal)
            && text.Contains("gitops_render_tool_info{tool=\"kustomize\"", StringComparison.Ordinal);
        for (var i = 0; i < 100 && !Both(); i++)
        {
            await Task.Delay(i == 0 ? 0 : 100);
            text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        }

        return text;
    }

    [Fact]
    public async Task Readyz_ProblemReported_Returns503WithTheReasonUntilItClears()
    {
        await using var a = new AgentHarness(cluster, "ready");
        var config = a.Config("solo");
        var host = await a.StartAsync(config);
        using var http = Client(config.Port);
        (await ReadyAsync(http)).Dispose();
        var readiness = host.Services.GetRequiredService<AgentReadiness>();

        // Keys the agent never reports itself: its leader gate clears "apiserver" on every renewal
        // and the worker clears "git/app" after each read, which raced this test in CI.
        readiness.Report("test/zeta", "cannot reach the repository");
        readiness.Report("test/alpha", "connection refused");
        using var failing = await http.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failing.StatusCode);
        Assert.Equal("test/alpha: connection refused\ntest/zeta: cannot reach the repository\n", await failing.Content.ReadAsStringAsync());
        Assert.Equal("text/plain; charset=utf-8", failing.Content.Headers.ContentType?.ToString());

        readiness.Report("test/zeta", null);
        readiness.Report("test/alpha", null);
        using var cleared = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
    }

    [Fact]
    public async Task StartAsync_PortInUse_ThrowsNamingTheAddress()
    {
        using var busy = Occupy();
        var config = new AgentConfig("test", "default", [new TargetConfig("app", "/nonexistent.git", "main", ".")]) { Port = busy.Port() };
        using var host = AgentHost.Build(config, cluster.Connect());

        var error = await Assert.ThrowsAsync<StatusServerException>(() => host.StartAsync());

        Assert.Equal($"cannot listen on 0.0.0.0:{busy.Port()}: address already in use", error.Message);
    }

    [Fact]
    public void AgentProcess_PortInUse_ExitsOneWithOneLineOnStderr()
    {
        using var busy = Occupy();
        using var folder = new Folder();
        var config = folder.Config(busy.Port(), "default", "/nonexistent.git");

        var result = Processes.Exec("dotnet", folder.Path, null, Gitops, "agent", "--config", config, "--kubeconfig", cluster.Kubeconfig);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: cannot listen on 0.0.0.0:{busy.Port()}: address already in use\n", result.Stderr.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task AgentProcess_SigtermAfterStart_ExitsZero()
    {
        await using var a = new AgentHarness(cluster, "sigterm");
        using var folder = new Folder();
        var port = Ports.Free();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Gitops, "agent", "--config", folder.Config(port, a.Namespace, a.Remote), "--kubeconfig", cluster.Kubeconfig })
        {
            start.ArgumentList.Add(arg);
        }

        using var agent = Process.Start(start)!;
        var stderr = agent.StandardError.ReadToEndAsync();
        var stdout = agent.StandardOutput.ReadToEndAsync(); // drained, so a chatty agent never blocks on a full pipe
        try
        {
            using var http = Client(port);
            (await ReadyAsync(http)).Dispose();
            Processes.Run("kill", folder.Path, null, "-TERM", agent.Id.ToString(CultureInfo.InvariantCulture));
            using var stop = new CancellationTokenSource(Patience);
            await agent.WaitForExitAsync(stop.Token);
        }
        finally
        {
            if (!agent.HasExited)
            {
                agent.Kill(entireProcessTree: true);
            }
        }

        Assert.Equal(0, agent.ExitCode);
        Assert.Equal(string.Empty, await stderr);
        Assert.NotEmpty(await stdout);
    }

    private static string Gitops => Path.Combine(AppContext.BaseDirectory, "gitops.dll");

    private static HttpClient Client(int port) => new() { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>/readyz once it answers 200 (the agent marks itself ready when leader election starts).</summary>
    private static Task<HttpResponseMessage> ReadyAsync(HttpClient http) =>
        AgentHarness.EventuallyAsync<HttpResponseMessage>(
            async () =>
            {
                try
                {
                    var response = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        return response;
                    }

                    response.Dispose();
                }
                catch (HttpRequestException)
                {
                    // not listening yet
                }

                return null;
            },
            Patience,
            "/readyz answering 200");

    /// <summary>A port held on every IPv4 interface, as another program on the machine would hold it.</summary>
    private static TcpListener Occupy()
    {
        var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        return listener;
    }

    /// <summary>A folder for one agent process's configuration and cache.</summary>
    private sealed class Folder : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), ClusterFixture.UniqueName("status"));

        public Folder() => Directory.CreateDirectory(Path);

        public string Config(int port, string ns, string repository)
        {
            var file = System.IO.Path.Combine(Path, "config.yaml");
            File.WriteAllText(file, $"""
                cluster: test
                namespace: {ns}
                port: {port}
                cacheDir: {System.IO.Path.Combine(Path, "cache")}
                targets:
                - name: app
                  repository: {repository}
                  branch: main
                  path: .
                  interval: 1m
                  defaultNamespace: {ns}
                """);
            return file;
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}

internal static class ListenerPorts
{
    public static int Port(this TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;
}
