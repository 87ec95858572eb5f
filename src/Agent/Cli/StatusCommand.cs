using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Agent.Git;

namespace GitOps.Agent.Cli;

/// <summary><c>gitops status</c>: the branch's last commits with their sync status, read from the notes.</summary>
internal static class StatusCommand
{
    public static Command Build()
    {
        var repo = CliOptions.Repo();
        var branch = CliOptions.Branch(required: false);
        var count = new Option<int>("-n") { Description = "How many commits", DefaultValueFactory = _ => 10 };
        var output = CliOptions.Output("text");
        var cache = new Option<string>("--cache-dir") { DefaultValueFactory = _ => CliOptions.DefaultCacheDir() };
        var command = new Command("status", "The last commits of a branch with their sync status") { repo, branch, count, output, cache };
        command.SetAction(async (parse, ct) =>
        {
            var store = new GitNotesStatus(CacheLayout.Repositories(parse.GetValue(cache)!));
            var spec = new GitSourceSpec(parse.GetValue(repo)!, parse.GetValue(branch)!, ".");
            try
            {
                var commits = await store.ReadStatusAsync(spec, parse.GetValue(branch)!, parse.GetValue(count), ct);
                Console.Out.Write(parse.GetValue(output) == "json" ? Json(commits) : Text(commits));
                return 0;
            }
            catch (GitSourceException ex)
            {
                return CliOutput.Error(ex.Message, 2);
            }
        });
        return command;
    }

    private static string Text(IReadOnlyList<CommitStatus> commits)
    {
        using var w = new StringWriter();
        foreach (var c in commits)
        {
            w.WriteLine($"{Sync.Revisions.Short(c.CommitSha)} {c.Subject}");
            foreach (var e in c.Entries)
            {
                var parts = new[] { $"{e.Cluster}/{e.Target}: {e.Phase} {e.Health} {e.Time:yyyy-MM-ddTHH:mm:ssZ}" }
                    .Concat(e.Counts.Select(kv => $"{kv.Key}={kv.Value}"))
                    .Concat(e.Message is null ? [] : [$"- {e.Message}"]);
                w.WriteLine($"    {string.Join(' ', parts)}");
            }

            if (c.Entries.Count == 0)
            {
                w.WriteLine("    (no status)");
            }
        }

        return w.ToString();
    }

    private static string Json(IReadOnlyList<CommitStatus> commits) =>
        new JsonArray([.. commits.Select(c => (JsonNode)new JsonObject
        {
            ["commit"] = c.CommitSha,
            ["subject"] = c.Subject,
            ["author"] = c.Author,
            ["time"] = c.CommitTime,
            ["statuses"] = JsonSerializer.SerializeToNode(c.Entries, StatusJson.Options),
        })]).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
}

internal static class StatusJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
