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
}
