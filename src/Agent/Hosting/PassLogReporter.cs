using GitOps.Agent.Sync;
using GitOps.Diff.Drift;
using Microsoft.Extensions.Logging;

namespace GitOps.Agent.Hosting;

/// <summary>The agent's log of every pass: one line per pass, one per object it changed or could not change.</summary>
internal sealed partial class PassLogReporter(ILogger<PassLogReporter> logger) : IPassReporter
{
    public Task ProgressingAsync(PassContext pass, CancellationToken ct)
    {
        LogProgressing(logger, pass.Target.Name, pass.Commit ?? "-");
        return Task.CompletedTask;
    }

    public Task FinishedAsync(PassContext pass, SyncResult result, bool infrastructure, CancellationToken ct)
    {
        var revision = pass.Commit ?? "-";
        using var scope = logger.BeginScope(new PassScope(pass.Target.Name, revision));
        LogPass(logger, pass.Target.Name, revision, result.Phase, result.Health, result.Message);
        foreach (var o in result.Objects.Where(o => o.Action != SyncAction.Unchanged))
        {
            LogObject(logger, pass.Target.Name, revision, o.Key, o.Action, o.Message ?? string.Empty);
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "pass {Target} at {Revision}: {Phase} {Health}: {Summary}")]
    private static partial void LogPass(ILogger logger, string target, string revision, SyncPhase phase, GitOps.Diff.Health.HealthStatus health, string summary);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "{Target} at {Revision}: {Object} {Action} {Detail}")]
    private static partial void LogObject(ILogger logger, string target, string revision, GitOps.Diff.Identity.ResourceKey @object, SyncAction action, string detail);

    [LoggerMessage(EventId = 17, Level = LogLevel.Information, Message = "{Target} at {Revision}: Progressing")]
    private static partial void LogProgressing(ILogger logger, string target, string revision);
}

/// <summary>Log scope of a pass: JSON logs carry target and revision as fields.</summary>
internal sealed class PassScope(string target, string revision) : IReadOnlyList<KeyValuePair<string, object>>
{
    private readonly KeyValuePair<string, object>[] fields = [new("target", target), new("revision", revision)];

    public int Count => fields.Length;

    public KeyValuePair<string, object> this[int index] => fields[index];

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object>>)fields).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => fields.GetEnumerator();

    public override string ToString() => $"target={fields[0].Value} revision={fields[1].Value}";
}
