using GitOps.Agent.Sync;
using GitOps.Diff.Drift;
using Microsoft.Extensions.Logging;

namespace GitOps.Agent.Hosting;

/// <summary>Log events of passes: ids 10–19, shared with <see cref="TargetWorker"/> and <see cref="ReporterFailures"/>.</summary>
internal sealed partial class PassLogReporter
{
    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "pass {Target} at {Revision}: {Phase} {Health}: {Summary}")]
    private static partial void LogPass(ILogger logger, string target, string revision, SyncPhase phase, GitOps.Diff.Health.HealthStatus health, string summary);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "{Target} at {Revision}: {Object} {Action} {Detail}")]
    private static partial void LogObject(ILogger logger, string target, string revision, GitOps.Diff.Identity.ResourceKey @object, SyncAction action, string detail);

    [LoggerMessage(EventId = 17, Level = LogLevel.Information, Message = "{Target} at {Revision}: Progressing")]
    private static partial void LogProgressing(ILogger logger, string target, string revision);
}
