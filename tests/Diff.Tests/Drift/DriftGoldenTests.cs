using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Diff.Drift;
using GitOps.Diff.Identity;
using GitOps.Diff.Masking;

namespace GitOps.Diff.Tests.Drift;

/// <summary>
/// testdata/drift/&lt;case&gt;/: live.json (absent: the object does not exist yet), predicted.json
/// (what a server-side dry-run apply returned) and expected.json: the action, the changed paths
/// in order, and optionally the ignore rules in force. For a Secret, no value of either side may
/// appear anywhere in the result.
/// </summary>
public class DriftGoldenTests
{
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    public static TheoryData<string> Cases => TestData.Cases("drift");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compare_GoldenCase_MatchesExpected(string name)
    {
        var folder = TestData.Folder("drift", name);
        var livePath = Path.Combine(folder, "live.json");
        var live = File.Exists(livePath) ? Read(livePath) : null;
        var predicted = Read(Path.Combine(folder, "predicted.json"));
        var expected = Read(Path.Combine(folder, "expected.json"));
        var ignore = expected["ignore"]?.Deserialize<List<IgnoreRule>>(WebJson);

        var result = DriftCalculator.Compare(KeyOf(predicted), live, predicted, ignore);

        Assert.Equal((string?)expected["action"], result.Action.ToContract());
        Assert.Equal(expected["changes"]!.AsArray().Select(p => (string?)p), result.Changes.Select(c => c.Path));
        if (SecretMasker.IsSecret(predicted))
        {
            AssertNoSecretValue(result, live, predicted);
        }
    }

    private static void AssertNoSecretValue(DriftResult result, JsonObject? live, JsonObject predicted)
    {
        var printed = string.Join('\n', result.Changes.Select(c => c.ToString()))
            + JsonSerializer.Serialize(result)
            + result;
        foreach (var value in SecretValues(live).Concat(SecretValues(predicted)))
        {
            Assert.DoesNotContain(value, printed, StringComparison.Ordinal);
        }
    }

    private static IEnumerable<string> SecretValues(JsonObject? secret)
    {
        foreach (var field in new[] { "data", "stringData" })
        {
            if (secret?[field] is JsonObject values)
            {
                foreach (var (_, node) in values)
                {
                    var text = node!.GetValue<string>();
                    yield return text;
                    if (field == "data")
                    {
                        yield return Encoding.UTF8.GetString(Convert.FromBase64String(text));
                    }
                }
            }
        }
    }

    private static ResourceKey KeyOf(JsonObject obj)
    {
        var (group, _) = GroupKind.SplitApiVersion((string)obj["apiVersion"]!);
        var metadata = obj["metadata"]!;
        return new ResourceKey(group, (string)obj["kind"]!, (string?)metadata["namespace"], (string)metadata["name"]!);
    }

    private static JsonObject Read(string path) => JsonNode.Parse(File.ReadAllText(path))!.AsObject();
}
