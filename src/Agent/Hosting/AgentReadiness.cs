using System.Collections.Concurrent;

namespace GitOps.Agent.Hosting;

/// <summary>
/// What <c>/readyz</c> says. Ready once the configuration loaded and leader election started (a
/// follower is a hot standby, so it is ready too). Components report problems they cannot fix
/// by themselves (<c>apiserver</c>: cannot reach the API server; <c>git/&lt;target&gt;</c>: cannot
/// reach a target's repository); the agent never dies of them, it says so here and in metrics.
/// </summary>
internal sealed class AgentReadiness
{
    private readonly ConcurrentDictionary<string, string> problems = new(StringComparer.Ordinal);

    public bool Started { get; private set; }

    /// <summary>Started, and no component reports a problem.</summary>
    public bool Ready => Started && problems.IsEmpty;

    /// <summary>Why it is not ready: one line per problem.</summary>
    public string Reason => !Started ? "starting" : problems.IsEmpty ? "ok" : string.Join("\n", problems.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value}"));

    public void MarkReady() => Started = true;

    /// <summary>A component's state: <paramref name="problem"/> null when it works again.</summary>
    public void Report(string component, string? problem)
    {
        if (problem is null)
        {
            problems.TryRemove(component, out _);
        }
        else
        {
            problems[component] = problem;
        }
    }
}
