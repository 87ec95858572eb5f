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
