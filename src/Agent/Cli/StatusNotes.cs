using System.CommandLine;
using GitOps.Agent.Git;
using GitOps.Agent.Sync;
using GitOps.Diff.Drift;

namespace GitOps.Agent.Cli;

/// <summary>
/// The status note a CLI sync writes on its commit: Progressing before applying, then the
/// outcome. A note that cannot be pushed is a warning, never a failed sync: the cluster is
/// what matters, and the next pass writes the note again.
/// </summary>
internal sealed class StatusNotes(SourceOptions options, ParseResult parse, string cluster)
{
    private readonly GitNotesStatus store = new(Path.Combine(parse.GetValue(options.CacheDir)!, "repos"));

    public async Task WriteAsync(string commit, SyncResult? result, CancellationToken ct)
    {
        var target = options.SyncTargetOf(parse).Name;
        var entry = result is null
            ? new CommitStatusEntry(cluster, target, "Progressing", "Unknown", DateTimeOffset.UtcNow, new Dictionary<string, int>(), "sync started", AgentInfo.Version)
            : new CommitStatusEntry(
                cluster, target, result.Phase.ToString(), result.Health.ToString(), DateTimeOffset.UtcNow,
                result.Counts.ToDictionary(c => c.Key.ToContract(), c => c.Value),
                result.StatusMessage,
                AgentInfo.Version);
        try
        {
            await store.WriteAsync(options.Spec(parse), commit, entry, ct);
        }
        catch (Exception ex) when (ex is GitSourceException or LibGit2Sharp.LibGit2SharpException)
        {
            Console.Error.WriteLine($"warning: status note not written: {UrlRedactor.Redact(ex.Message)}");
        }
    }
}
