using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using GitOps.Agent.Sync;
using GitOps.Diff.Drift;

namespace GitOps.Agent.Hosting;

/// <summary>
/// The agent's Prometheus metrics, in the text exposition format. A handful of series do not
/// justify a metrics library; names follow Prometheus conventions (units, _total).
/// </summary>
internal sealed class AgentMetrics(Kube.KubeApi api)
{
    private readonly ConcurrentDictionary<string, double> series = new(StringComparer.Ordinal);

    public void RecordPass(string target, SyncResult result, TimeSpan duration)
    {
        Add($"gitops_passes_total{{target=\"{target}\",phase=\"{result.Phase}\"}}", 1);
        Add($"gitops_pass_duration_seconds_sum{{target=\"{target}\"}}", duration.TotalSeconds);
        Add($"gitops_pass_duration_seconds_count{{target=\"{target}\"}}", 1);
        foreach (var (action, count) in result.Counts)
        {
            Add($"gitops_objects_total{{target=\"{target}\",action=\"{action.ToContract()}\"}}", count);
        }

        if (result.Phase == SyncPhase.Synced)
        {
            series[$"gitops_last_synced_timestamp_seconds{{target=\"{target}\"}}"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            foreach (var key in series.Keys.Where(k => k.StartsWith($"gitops_last_synced_revision{{target=\"{target}\"", StringComparison.Ordinal)))
            {
                series.TryRemove(key, out _);
            }

            series[$"gitops_last_synced_revision{{target=\"{target}\",revision=\"{result.Revision}\"}}"] = 1;
        }
    }

    public void RecordError(string target, string stage) => Add($"gitops_errors_total{{target=\"{target}\",stage=\"{stage}\"}}", 1);

    public void SetLeader(bool leading) => series["gitops_leader"] = leading ? 1 : 0;

    /// <summary>Whether a dependency answers: <c>apiserver</c> (target null) or a target's <c>git</c> repository.</summary>
    public void SetReachable(string dependency, string? target, bool reachable) =>
        series[target is null ? $"gitops_reachable{{dependency=\"{dependency}\"}}" : $"gitops_reachable{{dependency=\"{dependency}\",target=\"{target}\"}}"] = reachable ? 1 : 0;

    public string Render()
    {
        var sb = new StringBuilder();
        foreach (var (name, value) in series.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            sb.Append(name).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        var gc = GC.GetGCMemoryInfo();
        sb.Append("gitops_gc_heap_bytes ").Append(gc.HeapSizeBytes).Append('\n');
        sb.Append("gitops_gc_committed_bytes ").Append(gc.TotalCommittedBytes).Append('\n');
        sb.Append("process_resident_memory_bytes ").Append(Environment.WorkingSet).Append('\n');
        foreach (var (verb, count) in api.Requests.Snapshot().OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            sb.Append("gitops_api_requests_total{verb=\"").Append(verb).Append("\"} ").Append(count).Append('\n');
        }

        return sb.ToString();
    }

    private void Add(string name, double value) => series.AddOrUpdate(name, value, (_, v) => v + value);
}
