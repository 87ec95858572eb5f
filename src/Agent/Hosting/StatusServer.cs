using System.Net;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GitOps.Agent.Hosting;

/// <summary>
/// <c>/healthz</c> (the process is alive), <c>/readyz</c> (the configuration loaded and the API
/// server answered once) and <c>/metrics</c> on one port. HttpListener keeps the runtime image
/// free of ASP.NET Core for three plain-text endpoints.
/// </summary>
internal sealed partial class StatusServer(AgentConfig config, AgentMetrics metrics, AgentReadiness readiness, ILogger<StatusServer> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://+:{config.Port}/");
        listener.Start();
        LogListening(logger, config.Port);
        using var stop = stoppingToken.Register(listener.Stop);
        while (!stoppingToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                break; // stopped
            }

            try
            {
                Respond(context);
            }
            catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException)
            {
                // the client went away mid-response; the server goes on
            }
        }
    }

    private void Respond(HttpListenerContext context)
    {
        var (status, body) = context.Request.Url?.AbsolutePath switch
        {
            "/healthz" => (200, "ok\n"),
            "/readyz" => readiness.Ready ? (200, "ok\n") : (503, $"not ready: {readiness.Reason}\n"),
            "/metrics" => (200, metrics.Render()),
            _ => (404, "not found\n"),
        };
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        context.Response.OutputStream.Write(bytes);
        context.Response.Close();
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "serving /healthz, /readyz and /metrics on port {Port}")]
    private static partial void LogListening(ILogger logger, int port);
}
