using GitOps.Agent.Sync;
using Microsoft.Extensions.Logging;

namespace GitOps.Agent.Hosting;

/// <summary>Reporter failures (a note not pushed, an Event refused): logged with the sink's words and counted, never fatal.</summary>
internal sealed partial class ReporterFailures(AgentMetrics metrics, ILogger<ReporterFailures> logger)
{
    public void Failed(IPassReporter reporter, Exception ex)
    {
        var sink = reporter switch { NoteReporter => "notes", EventReporter => "events", Sync.Forge.CommitStatusReporter => "forge", _ => "report" };
        metrics.RecordError("-", sink);
        LogFailed(logger, sink, ex.GetType().Name, Git.UrlRedactor.Redact(ex.Message));
    }

    public void WorkerFailed(Exception ex)
    {
        metrics.RecordError("-", "internal");
        LogWorkerFailed(logger, ex.GetType().Name, Git.UrlRedactor.Redact(ex.Message));
    }

    [LoggerMessage(EventId = 18, Level = LogLevel.Error, Message = "a target worker ended with {Kind}: {Error}; it starts again with the next term")]
    private static partial void LogWorkerFailed(ILogger logger, string kind, string error);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "{Sink} not written ({Kind}): {Error}")]
    private static partial void LogFailed(ILogger logger, string sink, string kind, string error);
}
