using System.Text.Json.Nodes;
using GitOps.Diff.Tests.Masking;

namespace GitOps.Integration.Tests.Sync;

/// <summary>
/// A Secret value with a quote, a backslash and a newline, which the real API server echoes
/// Go-quoted (the value is also a label value, which the server refuses, quoting it), through the
/// real <c>gitops sync</c> process: no spelling of it in what the process prints, in the note it
/// pushes, nor in the Events it writes on the ApplySet parent.
/// </summary>
public sealed class SecretLeakCliTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private const string Value = "Zq9\"Lk\\wX4-pw\nPm2-sEcr3t-tail";

    [Fact]
    public async Task Sync_SecretValueEchoedQuotedByTheServer_NoSpellingInOutputNoteOrEvents()
    {
        await using var cli = new GitOpsCli(cluster, "leak-cli");
        cli.Work.Write("ns.yaml", Yaml.Namespace(cli.Namespace))
            .Write("a.yaml", Yaml.ConfigMap(cli.Namespace, "a", ("k", "1")))
            .Write("secret.json", Secret(cli.Namespace).ToJsonString());
        var commit = cli.CommitAndPush("a Secret the server refuses, quoting its value");

        var text = cli.Run(cli.SyncArgs("text"));
        var json = cli.Run(cli.SyncArgs("json"));

        Assert.True(text.ExitCode == 1, $"exit {text.ExitCode}: {text.Stdout}{text.Stderr}");
        Assert.True(json.ExitCode == 1, $"exit {json.ExitCode}: {json.Stdout}{json.Stderr}");
        var note = cli.RawNote(commit);
        // The server did echo the value, and it was masked where it stood.
        Assert.Contains("Invalid value: \\\"***\\\"", note, StringComparison.Ordinal);
        var events = cli.Kubectl("get", "events", "-n", "default", "--field-selector", $"involvedObject.name=gitops-{cli.Namespace}", "-o", "json");
        Assert.NotEmpty(JsonNode.Parse(events)!["items"]!.AsArray());
        var allEvents = cli.Kubectl("get", "events", "-n", "default", "-o", "json");
        foreach (var (name, output) in new[]
        {
            ("text stdout", text.Stdout), ("text stderr", text.Stderr), ("json stdout", json.Stdout), ("json stderr", json.Stderr),
            ("note", note), ("notes history", cli.NotesHistory()), ("events", allEvents),
        })
        {
            AssertNoSpelling(name, output);
        }
    }

    [Fact]
    public async Task Agent_SecretValueEchoedQuotedByTheServer_NoSpellingInItsLogs()
    {
        await using var cli = new GitOpsCli(cluster, "leak-agent");
        cli.Work.Write("ns.yaml", Yaml.Namespace(cli.Namespace)).Write("secret.json", Secret(cli.Namespace).ToJsonString());
        var commit = cli.CommitAndPush("a Secret the server refuses, quoting its value");
        cli.Kubectl("create", "namespace", cli.Namespace); // for the agent's Lease and the inventory
        var targets = $"""
              - name: {cli.Namespace}
                repository: {cli.Remote}
                interval: 5s
                defaultNamespace: {cli.Namespace}
            """;
        using (var agent = new Faults.AgentProcess("leak-agent", cluster.Kubeconfig, cli.Namespace, targets, NullOutput.Instance))
        {
            var entry = await cli.WaitForEntryAsync(commit, "Failed", TimeSpan.FromSeconds(60));
            Assert.Contains("***", entry.Message, StringComparison.Ordinal);
            await Task.Delay(TimeSpan.FromSeconds(1)); // the log lines of that pass are flushed
            AssertNoSpelling("agent logs", string.Join("\n", agent.Lines));
            Assert.Contains(agent.Lines, l => l.Contains("Invalid value", StringComparison.Ordinal));
        }
    }

    private static JsonObject Secret(string ns) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Secret",
        ["metadata"] = new JsonObject { ["name"] = "db", ["namespace"] = ns, ["labels"] = new JsonObject { ["copy"] = Value } },
        ["stringData"] = new JsonObject { ["password"] = Value },
    };

    /// <summary>Every reference spelling of the value and of each of its lines.</summary>
    private static void AssertNoSpelling(string where, string output)
    {
        foreach (var part in Value.Split('\n').Prepend(Value))
        {
            foreach (var (name, spelled) in ReferenceSpellings.All(part))
            {
                Assert.False(output.Contains(spelled, StringComparison.Ordinal), $"{where} holds the {name} spelling of a Secret value: {output}");
            }
        }
    }

    /// <summary>The agent's lines are asserted on, not shown.</summary>
    private sealed class NullOutput : Xunit.Abstractions.ITestOutputHelper
    {
        public static NullOutput Instance { get; } = new();

        public void WriteLine(string message)
        {
        }

        public void WriteLine(string format, params object[] args)
        {
        }
    }
}
