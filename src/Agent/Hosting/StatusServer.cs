using System.Net;
using System.Net.Sockets;
using GitOps.Agent.Hosting.Hooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GitOps.Agent.Hosting;

/// <summary>
/// <c>/healthz</c> (the process is alive), <c>/readyz</c> (200 <c>ok</c>, or 503 with one line per
/// problem of <see cref="AgentReadiness"/>) and <c>/metrics</c> on <c>bindAddress:port</c>, served
/// by Kestrel. The port is bound in <see cref="StartAsync"/>, so a busy port fails the host's start
/// (and <c>gitops agent</c> exits non-zero) instead of ending a background loop quietly.
/// </summary>
/// <remarks>
/// Kestrel runs in a small web application of its own, so the agent's host stays a plain generic
/// host. Three fixed paths are a switch, not routing: nothing to build at start.
/// Measured (Release `gitops agent` against the test API server, one target, 2-core machine, runs
/// interleaved, medians of 5; RSS when /readyz first answers 200 / after one pass and 3 scrapes):
/// HttpListener + hand-written text 72.1 / 85.2 MB; Kestrel + hand-written 80.2 / 93.5 MB;
/// Kestrel + prometheus-net 8.2.1 80.9 / 94.5 MB; Kestrel + OpenTelemetry 1.21 with its
/// Prometheus exporter 1.20.1-beta.1 84.4 / 99.3 MB (and it adds otel_scope_name to every series).
/// Start to the first /healthz 200: medians 340-580 ms for all four (runs 280-900 ms), within the
/// noise of a shared machine. ReadyToRun, as the image ships (medians of 4): HttpListener +
/// hand-written 310 ms, 74.9 / 88.9 MB; Kestrel + prometheus-net 332 ms, 83.9 / 96.6 MB.
/// Kestrel's ~8 MB buys a bind that fails the start and room for /hooks and the web view.
/// </remarks>
internal sealed partial class StatusServer(
    AgentConfig config, AgentMetrics metrics, AgentReadiness readiness, HookReceiver hooks, Web.WebEndpoints web, ILoggerFactory loggers, ILogger<StatusServer> logger)
    : IHostedService, IDisposable
{
    private const string TextContentType = "text/plain; charset=utf-8";
    private WebApplication? app;

    /// <summary>Where the endpoints listen, as an error message shows it.</summary>
    public string Endpoint => config.BindAddress switch
    {
        null => $"0.0.0.0:{config.Port}",
        var a when IPAddress.TryParse(a, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6 => $"[{ip}]:{config.Port}",
        var a => $"{a}:{config.Port}",
    };

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var listen = ListenOptions();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        // Kestrel logs where the agent logs, but not a line per probe or scrape.
        builder.Logging.AddProvider(new ForwardingLoggerProvider(loggers)).AddFilter("Microsoft.AspNetCore", LogLevel.Warning).AddFilter("Microsoft.Hosting", LogLevel.Warning);
        builder.Services.AddSingleton<IHostLifetime, OuterHostLifetime>();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(listen);
        app = builder.Build();
        app.Run(RespondAsync);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            await app.DisposeAsync();
            app = null;
            throw new StatusServerException($"cannot listen on {Endpoint}: {Reason(ex)}", ex);
        }

        LogListening(logger, Endpoint);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (app is not null)
        {
            await app.StopAsync(cancellationToken);
        }
    }

    public void Dispose() => ((IDisposable?)app)?.Dispose();

    private Action<KestrelServerOptions> ListenOptions()
    {
        var port = config.Port;
        Action<KestrelServerOptions> listen = config.BindAddress switch
        {
            null => o => o.ListenAnyIP(port), // IPv6 dual-stack where the host has it, else IPv4
            "localhost" => o => o.ListenLocalhost(port),
            var a when IPAddress.TryParse(a, out var ip) => o => o.Listen(ip, port),
            _ => throw new StatusServerException($"cannot listen on {Endpoint}: bindAddress must be an IP address or localhost"),
        };
        return o =>
        {
            // /hooks is reachable from outside the cluster: a client that trickles its headers does not hold a connection for long.
            o.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            listen(o);
        };
    }

    private async Task RespondAsync(HttpContext context)
    {
        var response = context.Response;
        switch (context.Request.Path.Value)
        {
            case "/healthz":
                await TextAsync(response, StatusCodes.Status200OK, "ok\n");
                break;
            case "/readyz" when readiness.Ready:
                await TextAsync(response, StatusCodes.Status200OK, "ok\n");
                break;
            case "/readyz":
                await TextAsync(response, StatusCodes.Status503ServiceUnavailable, readiness.Reason + "\n");
                break;
            case "/metrics":
                response.ContentType = AgentMetrics.ContentType;
                await metrics.WriteAsync(response.Body, context.RequestAborted);
                break;
            case var path when HookReceiver.Serves(path):
                await hooks.RespondAsync(context);
                break;
            case var path when web.Serves(path):
                await web.RespondAsync(context);
                break;
            default:
                await TextAsync(response, StatusCodes.Status404NotFound, "not found\n");
                break;
        }
    }

    private static Task TextAsync(HttpResponse response, int status, string body)
    {
        response.StatusCode = status;
        response.ContentType = TextContentType;
        return response.WriteAsync(body);
    }

    /// <summary>The operating system's words, as a clause: "address already in use".</summary>
    private static string Reason(Exception ex)
    {
        var message = ex.GetBaseException().Message.TrimEnd('.');
        return message.Length > 0 ? char.ToLowerInvariant(message[0]) + message[1..] : message;
    }

    private sealed class ForwardingLoggerProvider(ILoggerFactory to) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => to.CreateLogger(categoryName);

        public void Dispose()
        {
            // the agent's host owns the factory
        }
    }

    /// <summary>The agent's host owns signals and shutdown; the web application only serves.</summary>
    private sealed class OuterHostLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>The status endpoints cannot be served (port in use, address not on this host): the agent cannot start.</summary>
internal sealed class StatusServerException(string message, Exception? inner = null) : Exception(message, inner);
