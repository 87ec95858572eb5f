using Microsoft.Extensions.Logging;

namespace GitOps.Agent.Hosting;

/// <summary>Log events of reports not written and workers that died: ids 10–19, shared with <see cref="TargetWorker"/> and <see cref="PassLogReporter"/>.</summary>
internal sealed partial class ReporterFailures
{
    [LoggerMessage(EventId = 18, Level = LogLevel.Error, Message = "a target worker ended with {Kind}: {Error}; it starts again with the next term")]
    private static partial void LogWorkerFailed(ILogger logger, string kind, string error);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "{Sink} not written ({Kind}): {Error}")]
    private static partial void LogFailed(ILogger logger, string sink, string kind, string error);
}
