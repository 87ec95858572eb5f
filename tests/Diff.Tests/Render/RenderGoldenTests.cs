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
        // Bytes, not text: invalid UTF-8 and a byte order mark must reach the renderer as they are.
        var input = new ManifestFile("input.yaml", File.ReadAllBytes(Path.Combine(folder, "input.yaml")));
        var errorFile = Path.Combine(folder, "expected-error.txt");
        if (File.Exists(errorFile))
        {
            var ex = Assert.Throws<ManifestException>(() => ManifestRenderer.Render([input]));
            Assert.StartsWith(File.ReadAllText(errorFile).Trim(), ex.Message, StringComparison.Ordinal);
            return;
        }

        // kubectl prints every object it read, `kind: List` already expanded; the script wraps
        // several of them in a v1 List.
        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "expected.json")))!.AsObject();
        var expectedObjects = expected["kind"]?.GetValue<string>() == "List"
            ? expected["items"]!.AsArray().Select(i => i!.AsObject()).ToList()
            : [expected];
        var actual = ManifestRenderer.Render([input]).Select(m => m.Object).ToList();

        Assert.Equal(expectedObjects.Count, actual.Count);
        for (var i = 0; i < actual.Count; i++)
        {
            Assert.True(
                JsonEquality.Equal(expectedObjects[i], actual[i]),
                $"object {i}:\nexpected {expectedObjects[i].ToJsonString()}\nactual   {actual[i].ToJsonString()}");
        }
    }
}
