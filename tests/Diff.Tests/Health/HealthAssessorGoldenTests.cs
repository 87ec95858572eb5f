using System.Text.Json.Nodes;
using GitOps.Diff.Health;

namespace GitOps.Diff.Tests.Health;

/// <summary>
/// One case per file in testdata/health (format in its README.md): the live object and the exact
/// result expected for it. Adding a case is adding a file.
/// </summary>
public class HealthAssessorGoldenTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "testdata", "health");

    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Folder, "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Assess_GoldenFixture_MatchesExpected(string fixture)
    {
        var document = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, fixture)))!.AsObject();
        var expected = document["expected"]!.AsObject();
        var live = document["live"]!.AsObject();

        var result = HealthAssessor.Assess(live);

        Assert.Equal(
            new HealthResult(
                Enum.Parse<HealthStatus>(expected["status"]!.GetValue<string>()),
                expected["reason"]!.GetValue<string>()),
            result);
        // Keeps the folder navigable: the file name starts with the object's kind.
        var kind = live["kind"]?.GetValue<string>() ?? "object";
        Assert.StartsWith($"{kind.ToLowerInvariant()}-", fixture, StringComparison.Ordinal);
    }

    [Fact]
    public void Fixtures_CoverEveryRule_AtLeastTwentyFiveCases()
    {
        var files = Directory.GetFiles(Folder, "*.json").Select(Path.GetFileName).ToList();

        Assert.True(files.Count >= 25, $"only {files.Count} fixtures");
        foreach (var kind in new[]
                 {
                     "deployment", "statefulset", "daemonset", "replicaset", "job", "pod",
                     "persistentvolumeclaim", "service", "customresourcedefinition",
                     "ingress", "horizontalpodautoscaler", "poddisruptionbudget", "cronjob", "apiservice",
                 })
        {
            Assert.Contains(files, f => f!.StartsWith($"{kind}-", StringComparison.Ordinal));
        }
    }
}
