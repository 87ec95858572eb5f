using GitOps.Agent.Git;
using GitOps.Agent.Render;
using GitOps.Agent.Tests.Git;

namespace GitOps.Agent.Tests.Render;

/// <summary>
/// A broken file in a base an overlay loads: the real tool's error, with the repository file
/// (and line) it is about up front, not just the target folder.
/// </summary>
public sealed class KustomizeErrorsTests : IDisposable
{
    private const string ConfigMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n";
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("resources: [cm.yaml]\npatches:\n  - path: patch.yaml\n", "patch.yaml", ConfigMap + "data:\n  x: [unclosed\n", "base/patch.yaml: ")]
    [InlineData("resources: [cm.yaml]\npatches:\n  - path: nope.yaml\n", "other.yaml", "", "base/nope.yaml: ")]
    [InlineData("resources: [cm.yaml, broken.yaml]\n", "broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  x: [\n", "base/broken.yaml:5: ")]
    [InlineData("resources: [cm.yaml]\npatches:\n  - path: patch.yaml\n", "patch.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: nobody\n", "base/kustomization.yaml: ")]
    [InlineData("resources: [cm.yaml, missing.yaml]\n", "other.yaml", "", "base/missing.yaml: ")]
    public async Task Render_BrokenFileInABase_NamesTheRepositoryFile(string kustomization, string file, string content, string expected)
    {
        Write("base/kustomization.yaml", kustomization).Write("base/cm.yaml", ConfigMap).Write($"base/{file}", content)
            .Write("overlays/staging/kustomization.yaml", "resources: [../../base]\n");

        var ex = await Assert.ThrowsAsync<RenderException>(() =>
            new ToolRenderer(RenderTool.Options).RenderAsync(RenderTool.Job(temp.Combine("repo"), SourceKind.Kustomize, "overlays/staging"), CancellationToken.None));

        Assert.True(ex.Message.StartsWith($"target 'golden': kustomize build of overlays/staging failed: {expected}", StringComparison.Ordinal), ex.Message);
        Assert.DoesNotContain("gitops-render-", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("run.go", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_MissingResourceInTheTargetItself_NamesItFromTheRoot()
    {
        Write("app/kustomization.yaml", "resources: [missing.yaml]\n");

        var ex = await Assert.ThrowsAsync<RenderException>(() =>
            new ToolRenderer(RenderTool.Options).RenderAsync(RenderTool.Job(temp.Combine("repo"), SourceKind.Kustomize, "app"), CancellationToken.None));

        Assert.True(ex.Message.StartsWith("target 'golden': kustomize build of app failed: app/missing.yaml: ", StringComparison.Ordinal), ex.Message);
    }

    private KustomizeErrorsTests Write(string path, string text)
    {
        var full = temp.Combine("repo", path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return this;
    }
}
