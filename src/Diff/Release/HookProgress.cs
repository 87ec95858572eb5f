using System.Text.Json.Nodes;
using GitOps.Diff.Health;

namespace GitOps.Diff.Release;

/// <summary>Where a hook's run stands.</summary>
public enum HookState
{
    Running,
    Succeeded,
    Failed,
}

/// <summary>A hook's state and, in words, why.</summary>
public sealed record HookProgress(HookState State, string Reason)
{
    /// <summary>
    /// A Job succeeds when Complete and fails when Failed (unlike its health, where a running Job
    /// is already Healthy: a hook is waited for to the end); a Pod by its phase; any other kind
    /// succeeds once Healthy and fails when Degraded.
    /// </summary>
    public static HookProgress Of(JsonObject obj)
    {
        var kind = (string?)obj["kind"];
        var group = ((string?)obj["apiVersion"] ?? string.Empty).Split('/') is [var g, _] ? g : string.Empty;
        return (group, kind) switch
        {
            ("batch", "Job") => OfJob(obj),
            ("", "Pod") => OfPod(obj),
            _ => HealthAssessor.Assess(obj) is var h && h.Status == HealthStatus.Healthy ? new(HookState.Succeeded, h.Reason)
                : h.Status == HealthStatus.Degraded ? new(HookState.Failed, h.Reason)
                : new(HookState.Running, h.Reason),
        };
    }

    /// <summary>Why a pod's containers ended: "container migrate: Error, exit code 1" (the first that failed, else the first that ended).</summary>
    public static string? Termination(JsonObject pod)
    {
        var ended = (pod["status"]?["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(c => (Name: (string?)c["name"], T: c["state"]?["terminated"] as JsonObject))
            .Where(c => c.T is not null)
            .OrderBy(c => (int?)c.T!["exitCode"] == 0 ? 1 : 0)
            .FirstOrDefault();
        return ended.T is { } t ? $"container {ended.Name}: {(string?)t["reason"] ?? "terminated"}, exit code {(int?)t["exitCode"]}" : (string?)pod["status"]?["reason"];
    }

    private static HookProgress OfJob(JsonObject job)
    {
        foreach (var c in (job["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().Where(c => (string?)c["status"] == "True"))
        {
            switch ((string?)c["type"])
            {
                case "Complete":
                    return new(HookState.Succeeded, "complete");
                case "Failed":
                    return new(HookState.Failed, $"failed: {(string?)c["reason"]}{((string?)c["message"] is { Length: > 0 } m ? $" ({m})" : string.Empty)}");
            }
        }

        return new(HookState.Running, "running");
    }

    private static HookProgress OfPod(JsonObject pod) => (string?)pod["status"]?["phase"] switch
    {
        "Succeeded" => new(HookState.Succeeded, "succeeded"),
        "Failed" => new(HookState.Failed, $"failed: {Termination(pod) ?? "no reason given"}"),
        var phase => new(HookState.Running, (phase ?? "Pending").ToLowerInvariant()),
    };
}
