using Microsoft.Extensions.Logging;

namespace GitOps.Agent.Hosting;

/// <summary>Log events of the status endpoints: ids 1–9.</summary>
internal sealed partial class StatusServer
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "serving /healthz, /readyz and /metrics on {Endpoint}")]
    private static partial void LogListening(ILogger logger, string endpoint);
}
