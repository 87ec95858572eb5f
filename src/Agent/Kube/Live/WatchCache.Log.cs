using Microsoft.Extensions.Logging;

namespace GitOps.Agent.Kube.Live;

/// <summary>Log events of the watch cache: ids 30–39.</summary>
internal sealed partial class WatchCache
{
    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "watch of {Path} failed ({Kind}: {Error}); passes LIST it themselves until the watch is back")]
    private static partial void LogWatchFailed(ILogger logger, string path, string kind, string error);
}
