using Microsoft.Extensions.Logging;

namespace GitOps.Agent.Hosting;

/// <summary>Log events of a target's schedule: ids 10–19 (passes themselves log through <see cref="PassLogReporter"/>).</summary>
internal sealed partial class TargetWorker
{
    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "pass {Target} failed ({Kind}): {Error}; retrying with backoff")]
    private static partial void LogPassError(ILogger logger, string target, string kind, string error);

    [LoggerMessage(EventId = 14, Level = LogLevel.Warning, Message = "{Target}: cannot reach git ({Error}); drift is corrected from the last commit read")]
    private static partial void LogGitDown(ILogger logger, string target, string error);

    [LoggerMessage(EventId = 15, Level = LogLevel.Information, Message = "{Target}: a newer commit is waiting; the health wait ends now")]
    private static partial void LogPreempted(ILogger logger, string target);

    [LoggerMessage(EventId = 19, Level = LogLevel.Information, Message = "{Target}: new revision {Revision} waits: {Reason}")]
    private static partial void LogWaitingForDependency(ILogger logger, string target, string revision, string reason);

    [LoggerMessage(EventId = 16, Level = LogLevel.Warning, Message = "{Target}: {Error}")]
    private static partial void LogFenced(ILogger logger, string target, string error);
}
