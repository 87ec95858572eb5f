using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Agent.Cli;
using GitOps.Agent.Kube;
using GitOps.Agent.Sync;
using GitOps.Diff.Masking;

namespace GitOps.Integration.Tests.Sync;

/// <summary>
/// Secret values in the messages of a real API server: the server Go-quotes a value it echoes
/// (<c>Invalid value: "Le4k\"Be7a\\7782"</c>), so a value with a quote, a backslash, a newline or
/// non-ASCII text is not spelled as written. Each Secret here also carries its value as a label,
/// which the server refuses and quotes; the tests first check that the raw message really holds
/// the quoted value (with the test's own Go quoting, so the server confirms it), then that nothing
/// of it is left after redaction, nor in the engine's result, JSON report or text report.
/// </summary>
public sealed class SecretRedactionTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    public static TheoryData<string> Values() =>
    [
        "Le4k\"Be7a\\7782",
        "tab\there\"and\nnewline",
        "café-ünïcødé\"x",
        "emoji😀\"quote",
        "bell\a\u0001ctl\"\u007fx",
        "nbsp\u00a0zw\u200b\"x",
        "-----BEGIN KEY-----\nL1ne\"one\\\n-----END KEY-----",
    ];

    [Theory]
    [MemberData(nameof(Values))]
    public async Task Redact_ServerMessageQuotingTheValue_NoSpellingLeft(string value)
    {
        await using var h = new SyncHarness(cluster, "redact");
        h.Kubectl("create", "namespace", h.Namespace);

        var message = await RejectionAsync(h, value);

        Assert.Contains($"Invalid value: {GoQuote(value)}", message, StringComparison.Ordinal);
        AssertNoSpelling(value, SecretRedactor.For([SecretWithLabel(h.Namespace, value)]).Redact(message));
    }

    [Fact]
    public async Task Redact_TwentyRandomValuesAgainstTheServer_NoSpellingLeft()
    {
        const string alphabet = "aZ7-. \"\\\n\t\r\u0001\u001b\u007féß日\u00a0\u200b<>&'+/=`";
        var random = new Random(20261226);
        await using var h = new SyncHarness(cluster, "redact-rand");
        h.Kubectl("create", "namespace", h.Namespace);

        for (var i = 0; i < 20; i++)
        {
            // The quote makes sure the label is invalid, so the server echoes the value.
            var value = "\"" + string.Concat(Enumerable.Range(0, random.Next(4, 30)).Select(_ => alphabet[random.Next(alphabet.Length)]));

            var message = await RejectionAsync(h, value);

            Assert.Contains(GoQuote(value), message, StringComparison.Ordinal);
            AssertNoSpelling(value, SecretRedactor.For([SecretWithLabel(h.Namespace, value)]).Redact(message));
        }
    }

    [Fact]
    public async Task Sync_SecretRejectedWithItsValueQuoted_NoSpellingInResultOrReports()
    {
        const string value = "Le4k\"Be7a\\7782\nsecond-line\tcafé";
        await using var h = new SyncHarness(cluster, "redact-sync");
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace))
            .Write("a.yaml", Yaml.ConfigMap(h.Namespace, "a", ("k", "1")))
            .Write("secret.json", SecretWithLabel(h.Namespace, value).ToJsonString())
            .Commit("a Secret the server refuses, quoting its value");

        var result = await h.SyncAsync();

        Assert.Equal(SyncPhase.Failed, result.Phase);
        var secret = Assert.Single(result.Objects, o => o.Key.Kind == "Secret");
        Assert.Contains("Invalid value: \"***\"", secret.Message, StringComparison.Ordinal);
        Assert.Null(await h.ConfigMapAsync("a"));
        using var text = new StringWriter();
        ReportWriter.Write(result, "text", text);
        using var json = new StringWriter();
        ReportWriter.Write(result, "json", json);
        foreach (var output in new[] { result.Message, text.ToString(), json.ToString(), ReportWriter.Json(result).ToJsonString() }
            .Concat(result.Objects.Select(o => o.Message ?? string.Empty)))
        {
            AssertNoSpelling(value, output);
        }
    }

    /// <summary>
    /// The server's message for a dry-run create of the Secret whose label holds <paramref name="value"/>.
    /// A create, not an apply: an apply body is read as YAML, and go-yaml refuses the surrogate-pair
    /// escapes (<c>\uD83D\uDE00</c>) System.Text.Json writes for an emoji (see the report of this change).
    /// </summary>
    private static async Task<string> RejectionAsync(SyncHarness h, string value)
    {
        var ex = await Assert.ThrowsAsync<KubeApiException>(() =>
            h.Api.CreateAsync($"/api/v1/namespaces/{h.Namespace}/secrets", SecretWithLabel(h.Namespace, value), CancellationToken.None, dryRun: true));
        Assert.True(ex.Reason == "Invalid", ex.Message);
        return ex.Message;
    }

    private static JsonObject SecretWithLabel(string ns, string value) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Secret",
        ["metadata"] = new JsonObject { ["name"] = "db", ["namespace"] = ns, ["labels"] = new JsonObject { ["copy"] = value } },
        ["stringData"] = new JsonObject { ["password"] = value },
    };

    private static void AssertNoSpelling(string value, string text)
    {
        foreach (var (name, spelled) in Spellings(value))
        {
            Assert.False(text.Contains(spelled, StringComparison.Ordinal), $"the value's {name} spelling {GoQuote(spelled)} is in: {text}");
        }
    }

    /// <summary>The value as the server, Go's JSON, System.Text.Json and base64 spell it, quotes left off; lines of a multi-line value too.</summary>
    private static IEnumerable<(string Name, string Text)> Spellings(string value)
    {
        foreach (var (scope, s) in value.Split('\n').Where(l => l.Length >= 4 && value.Contains('\n', StringComparison.Ordinal)).Select(l => ("line", l)).Prepend(("value", value)))
        {
            yield return ($"{scope} raw", s);
            yield return ($"{scope} go %q", GoQuote(s)[1..^1]);
            yield return ($"{scope} go %+q", GoQuote(s, ascii: true)[1..^1]);
            yield return ($"{scope} json", JsonSerializer.Serialize(s)[1..^1]);
            yield return ($"{scope} relaxed json", JsonSerializer.Serialize(s, Relaxed)[1..^1]);
            yield return ($"{scope} json of go %q", JsonSerializer.Serialize(GoQuote(s)[1..^1], Relaxed)[1..^1]);
            yield return ($"{scope} base64", Convert.ToBase64String(Encoding.UTF8.GetBytes(s)));
        }
    }

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Go's strconv.Quote / QuoteToASCII, written here from the Go documentation, independently of the production code.</summary>
    private static string GoQuote(string s, bool ascii = false)
    {
        var sb = new StringBuilder("\"");
        foreach (var r in s.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(r);
            var printable = r.Value == ' ' || !(category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.SpaceSeparator
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned);
            sb.Append(r.Value switch
            {
                '"' => "\\\"",
                '\\' => @"\\",
                '\a' => @"\a",
                '\b' => @"\b",
                '\f' => @"\f",
                '\n' => @"\n",
                '\r' => @"\r",
                '\t' => @"\t",
                '\v' => @"\v",
                _ when printable && (!ascii || r.IsAscii) => r.ToString(),
                < 0x20 or 0x7f => $"\\x{r.Value:x2}",
                < 0x10000 => $"\\u{r.Value:x4}",
                _ => $"\\U{r.Value:x8}",
            });
        }

        return sb.Append('"').ToString();
    }
}
