using Microsoft.Extensions.Logging;

namespace GitOps.Agent.Git;

public sealed partial class GitNotesStatus
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "Status note push to {Repository} for {Commit} lost a race (attempt {Attempt}): {Reason}; retrying on top of the winner")]
    private static partial void LogPushRejected(ILogger logger, string repository, string commit, int attempt, string reason);
}
