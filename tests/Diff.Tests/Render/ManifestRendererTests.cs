using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.Diff.Render;

namespace GitOps.Diff.Tests.Render;

/// <summary>What the goldens cannot show: exact number types, budgets, locations across files.</summary>
public class ManifestRendererTests
{
    private const string Head = "apiVersion: probe.dev/v1\nkind: Blob\nmetadata: {name: x}\n";

    [Theory]
    [InlineData("9007199254740993", 9007199254740993L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    [InlineData("0x7FFFFFFFFFFFFFFF", long.MaxValue)]
    [InlineData("12", 12L)]
    [InlineData("1e3", 1000L)]
    public void RenderText_Integer_KeepsEveryDigitAsInt64(string yaml, long expected)
    {
        var value = Spec(yaml)["v"]!.AsValue();

        Assert.True(value.TryGetValue<long>(out var actual), $"{yaml} was not read as an int64: {value.ToJsonString()}");
        Assert.Equal(expected, actual);
        Assert.Equal(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), value.ToJsonString());
    }

    [Fact]
    public void RenderText_FloatKeepsFloatType()
    {
        var value = Spec("0.5")["v"]!.AsValue();

        Assert.True(value.TryGetValue<double>(out var d));
        Assert.Equal(0.5, d);
    }

    [Fact]
    public void Render_SeveralFiles_InPathOrderWithTheirLocations()
    {
        var files = new[]
        {
            File("b/second.yaml", Head.Replace("name: x", "name: b", StringComparison.Ordinal)),
            File("a/first.yaml", "# comment\n---\n" + Head.Replace("name: x", "name: a", StringComparison.Ordinal)),
        };

        var manifests = ManifestRenderer.Render(files);

        Assert.Equal(["a", "b"], manifests.Select(m => (string?)m.Object["metadata"]!["name"]));
        Assert.Equal(new SourceLocation("a/first.yaml", 2, 1), manifests[0].Source);
        Assert.Equal(new SourceLocation("b/second.yaml", 1, 1), manifests[1].Source);
    }

    [Fact]
    public void Render_BillionLaughs_FailsFast()
    {
        var text = File("bomb.yaml", Bomb(levels: 9));
        var clock = Stopwatch.StartNew();

        var ex = Assert.Throws<ManifestException>(() => ManifestRenderer.Render([text]));

        Assert.Contains("an alias bomb", ex.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Render_AliasBombWithinFileBudget_StopsAtTheRevisionBudget()
    {
        var limits = new RenderLimits { MaxNodesPerFile = 20_000, MaxNodesPerRevision = 30_000 };
        var files = Enumerable.Range(0, 3).Select(i => File($"f{i}.yaml", Bomb(levels: 4))).ToList();

        var ex = Assert.Throws<ManifestException>(() => ManifestRenderer.Render(files, limits));

        Assert.StartsWith("f2.yaml:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_FileLargerThanBudget_NamesTheFile()
    {
        var limits = new RenderLimits { MaxFileBytes = 10 };

        var ex = Assert.Throws<ManifestException>(() => ManifestRenderer.Render([File("big.yaml", Head)], limits));

        Assert.StartsWith("big.yaml:1:1: file is larger than", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TooManyDocuments_Throws()
    {
        var limits = new RenderLimits { MaxDocumentsPerFile = 2 };
        var text = string.Join("---\n", Enumerable.Repeat(Head, 3));

        var ex = Assert.Throws<ManifestException>(() => ManifestRenderer.Render([File("many.yaml", text)], limits));

        Assert.StartsWith("many.yaml:", ex.Message, StringComparison.Ordinal);
        Assert.Contains("more than 2 documents", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TooManyObjects_Throws()
    {
        var limits = new RenderLimits { MaxObjectsPerRevision = 2 };
        var text = string.Join("---\n", Enumerable.Repeat(Head, 3));

        var ex = Assert.Throws<ManifestException>(() => ManifestRenderer.Render([File("many.yaml", text)], limits));

        Assert.Contains("more than 2 objects", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NestingAtTheLimit_IsRead()
    {
        var limits = new RenderLimits { MaxDepth = 10 };
        var text = Head + "spec: " + new string('[', 9) + new string(']', 9) + "\n";

        Assert.Single(ManifestRenderer.Render([File("ok.yaml", text)], limits));
    }

    [Fact]
    public void Render_KindListOfLists_ExpandsEveryLevel()
    {
        var text = "kind: List\nitems:\n- kind: ConfigMapList\n  items:\n  - " + Head.Replace("\n", "\n    ", StringComparison.Ordinal);

        var manifests = ManifestRenderer.Render([File("l.yaml", text)]);

        Assert.Equal("Blob", (string?)Assert.Single(manifests).Object["kind"]);
    }

    /// <summary>
    /// A known difference from kubectl, pinned down rather than skipped: YamlDotNet 18.1 rejects an
    /// anchored scalar followed by more entries in a flow mapping (<c>{a: &amp;x 1, b: 2}</c>), which
    /// kubectl reads. We fail cleanly with a location; when YamlDotNet fixes its parser this test
    /// fails, and should become "is read" (README, "Known differences").
    /// </summary>
    [Fact]
    public void RenderText_AnchoredScalarInsideFlowMapping_FailsWithLocationUntilYamlDotNetFixesIt()
    {
        var ex = Assert.Throws<ManifestException>(() => Spec("{a: &x 1, b: *x}"));

        Assert.Equal("t.yaml", ex.Location.File);
        Assert.Equal(5, ex.Location.Line);
    }

    private static JsonObject Spec(string value) =>
        ManifestRenderer.RenderText("t.yaml", Head + "spec:\n  v: " + value + "\n")[0].Object["spec"]!.AsObject();

    private static ManifestFile File(string path, string text) => new(path, Encoding.UTF8.GetBytes(text));

    private static string Bomb(int levels)
    {
        var text = new StringBuilder(Head).Append("spec:\n  l0: &l0 [a, a, a, a, a, a, a, a, a, a]\n");
        for (var i = 1; i < levels; i++)
        {
            text.Append($"  l{i}: &l{i} [").AppendJoin(", ", Enumerable.Repeat($"*l{i - 1}", 10)).Append("]\n");
        }

        return text.ToString();
    }
}
