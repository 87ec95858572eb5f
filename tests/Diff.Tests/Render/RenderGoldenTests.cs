using System.Text.Json.Nodes;
using GitOps.Diff.Json;
using GitOps.Diff.Render;

namespace GitOps.Diff.Tests.Render;

/// <summary>
/// testdata/render/&lt;case&gt;/input.yaml is read and compared with expected.json, which is what
/// kubectl itself read from the same file (eng/golden-render.sh regenerates it), or with
/// expected-error.txt, the start of the error message we promise.
/// </summary>
public class RenderGoldenTests
{
    public static TheoryData<string> Cases => TestData.Cases("render");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Render_GoldenCase_MatchesKubectl(string name)
    {
        var folder = TestData.Folder("render", name);
        var text = File.ReadAllText(Path.Combine(folder, "input.yaml"));
        var errorFile = Path.Combine(folder, "expected-error.txt");
        if (File.Exists(errorFile))
        {
            var ex = Assert.Throws<ManifestException>(() => ManifestRenderer.RenderText("input.yaml", text));
            Assert.StartsWith(File.ReadAllText(errorFile).Trim(), ex.Message, StringComparison.Ordinal);
            return;
        }

        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "expected.json")))!.AsObject();
        var expectedObjects = expected["kind"]?.GetValue<string>() == "List" && !text.Contains("kind: List", StringComparison.Ordinal)
            ? expected["items"]!.AsArray().Select(i => i!.AsObject()).ToList()
            : [expected];
        var actual = ManifestRenderer.RenderText("input.yaml", text).Select(m => m.Object).ToList();

        Assert.Equal(expectedObjects.Count, actual.Count);
        for (var i = 0; i < actual.Count; i++)
        {
            Assert.True(
                JsonEquality.Equal(expectedObjects[i], actual[i]),
                $"object {i}:\nexpected {expectedObjects[i].ToJsonString()}\nactual   {actual[i].ToJsonString()}");
        }
    }
}
