using Microsoft.Extensions.Logging;

namespace GitOps.Agent.Hosting.Shards;

internal sealed partial class ShardGate
{
    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "{Identity} took shard {Shard} (held by {Previous} before)")]
    private static partial void LogTaken(ILogger logger, string identity, int shard, string previous);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "{Identity} stopped syncing shard {Shard}: {Why}")]
    private static partial void LogLost(ILogger logger, string identity, int shard, string why);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Information, Message = "{Identity} released shard {Shard} for {Assignee}")]
    private static partial void LogReleased(ILogger logger, string identity, int shard, string assignee);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Warning, Message = "{Identity}: a round of shard Leases failed ({Type}): {Message}")]
    private static partial void LogRoundFailed(ILogger logger, string identity, string type, string message);
}
