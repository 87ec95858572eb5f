using Microsoft.Extensions.Logging;

namespace GitOps.Agent.Hosting;

/// <summary>Log events of leader election: ids 20–29.</summary>
internal sealed partial class LeaderGate
{
    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "{Identity} is the leader: syncing")]
    private static partial void LogLeading(ILogger logger, string identity);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "{Identity} lost leadership: passes stop writing")]
    private static partial void LogLost(ILogger logger, string identity);

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "{Identity}: leader election failed ({Kind}: {Error}); campaigning again after a backoff")]
    private static partial void LogElectionFailed(ILogger logger, string identity, string kind, string error);

    [LoggerMessage(EventId = 24, Level = LogLevel.Warning, Message = "{Identity}: the write fence went down (the process was paused or cut off past its renew deadline); starting a new term")]
    private static partial void LogFenceDown(ILogger logger, string identity);

    [LoggerMessage(EventId = 23, Level = LogLevel.Warning, Message = "{Identity}: leader election error: {Error}")]
    private static partial void LogElectionError(ILogger logger, string identity, string error);
}
