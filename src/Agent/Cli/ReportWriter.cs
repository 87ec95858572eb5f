using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Agent.Sync;
using GitOps.Diff.Drift;

namespace GitOps.Agent.Cli;

/// <summary>Prints a <see cref="SyncResult"/> as a short report, or as the JSON contract of ARCHITECTURE.md.</summary>
internal static class ReportWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Write(SyncResult result, string format, TextWriter output)
    {
        output.Write(format == "json" ? Json(result).ToJsonString(Indented) + "\n" : Text(result));
    }

    public static JsonObject Json(SyncResult result) => new()
    {
        ["revision"] = result.Revision,
        ["target"] = result.Target,
        ["phase"] = result.Phase.ToString(),
        ["health"] = result.Health.ToString(),
        ["message"] = result.Message,
        ["changes"] = new JsonArray([.. result.Objects.Select(o => (JsonNode)Change(o))]),
        ["hooks"] = new JsonArray([.. result.Hooks.Select(h => (JsonNode)Hook(h))]),
    };

    private static JsonObject Hook(HookResult h) => new()
    {
        ["group"] = h.Key.Group,
        ["kind"] = h.Key.Kind,
        ["namespace"] = h.Key.Namespace,
        ["name"] = h.Key.Name,
        ["phase"] = h.Phase.ToString(),
        ["outcome"] = h.Outcome.ToContract(),
        ["message"] = h.Message,
    };

    private static JsonObject Change(ObjectResult o)
    {
        var change = new JsonObject
        {
            ["group"] = o.Key.Group,
            ["kind"] = o.Key.Kind,
            ["namespace"] = o.Key.Namespace,
            ["name"] = o.Key.Name,
            ["action"] = o.Action.ToContract(),
            ["health"] = o.Health.ToString(),
        };
        if (o.Message is not null)
        {
            change["message"] = o.Message;
        }

        if (o.Changes.Count > 0)
        {
            change["fields"] = new JsonArray([.. o.Changes.Select(c => (JsonNode)new JsonObject { ["path"] = c.Path, ["old"] = c.Old?.DeepClone(), ["new"] = c.New?.DeepClone() })]);
        }

        return change;
    }

    private static string Text(SyncResult result)
    {
        using var w = new StringWriter();
        w.WriteLine($"{result.Target} @ {Revisions.Short(result.Revision)}: {result.Phase} {result.Health}");
        foreach (var o in result.Objects.Where(o => o.Action != SyncAction.Unchanged))
        {
            w.WriteLine($"  {o.Action.ToContract(),-13} {o.Key}{(o.Message is null ? string.Empty : $"  ({o.Message})")}");
            foreach (var change in o.Changes)
            {
                w.WriteLine($"      {change}");
            }
        }

        foreach (var h in result.Hooks.Where(h => h.Outcome != HookOutcome.Skipped))
        {
            w.WriteLine($"  hook {h.Phase,-8} {h.Outcome.ToContract(),-9} {h.Key}");
        }

        w.WriteLine(result.Phase == SyncPhase.Failed ? $"error: {result.Message}" : Counts(result));
        return w.ToString();
    }

    private static string Counts(SyncResult result) =>
        string.Join(' ', Enum.GetValues<SyncAction>().Select(a => $"{a.ToContract()}={result.Counts.GetValueOrDefault(a)}")
            .Where(s => !s.EndsWith("=0", StringComparison.Ordinal) || s.StartsWith("unchanged", StringComparison.Ordinal)));
}
