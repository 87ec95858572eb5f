using System.Text.Json.Nodes;
using GitOps.Agent.Git;
using GitOps.Agent.Render;
using GitOps.Agent.Tests.Git;
using GitOps.Diff.Tests.Masking;

namespace GitOps.Agent.Tests.Render;

/// <summary>
/// A failed render's message, with the real tools, when the tool quotes a Secret value from
/// beyond the target folder (a base) or from the agent config (inline Helm values): hidden in
/// every spelling the redactor is checked against elsewhere.
/// </summary>
public sealed class StderrSecretsTests : IDisposable
{
    private readonly TempFolder temp = new();

    public StderrSecretsTests()
    {
        Write("base/kustomization.yaml", """
            resources: [secret.yaml]
            generatorOptions: {disableNameSuffixHash: true}
            secretGenerator:
              - name: gen
                envs: [gen.env]
                literals: [LIT=lit-tok-5511x]
              - name: files
                files: [pem=key.pem]
            """);
        Write("base/gen.env", "# a comment\nFROM_ENV=env-tok-77aa99\n");
        Write("base/key.pem", "pem-tok-3344zz\n");
        Write("base/secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: manifest}\nstringData: {pw: man-tok-9922q}\n");
    }

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("manifest", "stringData.pw", "man-tok-9922q")]
    [InlineData("gen", "data.LIT", "lit-tok-5511x")]
    [InlineData("gen", "data.FROM_ENV", "env-tok-77aa99")]
    [InlineData("files", "data.pem", "pem-tok-3344zz\n")]
    public async Task Render_OverlayErrorQuotingASecretValueOfItsBase_HidesItInEverySpelling(string secret, string field, string value)
    {
        // a replacement into a field below a scalar fails, and kustomize prints the scalar (the Secret's value)
        Write("overlays/prod/kustomization.yaml", $$"""
            resources: [../../base]
            replacements:
              - source: {kind: Secret, name: manifest, fieldPath: metadata.name}
                targets:
                  - select: {kind: Secret, name: {{secret}}}
                    fieldPaths: [{{field}}.below]
            """);

        var ex = await Assert.ThrowsAsync<RenderException>(() => Render(SourceKind.Kustomize, "overlays/prod"));

        Assert.Contains("node contents", ex.Message, StringComparison.Ordinal);
        Assert.Contains("***", ex.Message, StringComparison.Ordinal); // the tool did quote it
        AssertHidden(ex.Message, value);
    }

    [Fact]
    public async Task Render_HelmErrorQuotingAnInlineSecretLookingValue_HidesIt()
    {
        Chart("chart", "x: {{ fail (printf \"cannot use %s\" .Values.db.password) }}");
        var inline = new JsonObject { ["db"] = new JsonObject { ["password"] = "inl-tok-8877w" } };

        var ex = await Assert.ThrowsAsync<RenderException>(() => Render(SourceKind.Helm, "chart", new HelmSettings(null, [], inline)));

        Assert.Contains("cannot use", ex.Message, StringComparison.Ordinal);
        AssertHidden(ex.Message, "inl-tok-8877w");
    }

    [Fact]
    public async Task Render_HelmErrorQuotingATokenOfAValuesFileOutsideTheChart_HidesIt()
    {
        Chart("charts/app", "x: {{ fail (printf \"cannot use %s\" .Values.apiToken) }}");
        Write("values/prod.yaml", "apiToken: vf-tok-6655k\n");

        var ex = await Assert.ThrowsAsync<RenderException>(() => Render(SourceKind.Helm, "charts/app", new HelmSettings(null, ["../../values/prod.yaml"], null)));

        Assert.Contains("cannot use", ex.Message, StringComparison.Ordinal);
        AssertHidden(ex.Message, "vf-tok-6655k");
    }

    private static void AssertHidden(string message, string value)
    {
        foreach (var part in new[] { value, value.Trim() }.Distinct())
        {
            foreach (var (name, spelled) in ReferenceSpellings.All(part))
            {
                Assert.False(message.Contains(spelled, StringComparison.Ordinal), $"{name} spelling of the value is in: {message}");
            }
        }
    }

    private Task<IReadOnlyList<Diff.Render.ManifestFile>> Render(SourceKind kind, string path, HelmSettings? helm = null) =>
        new ToolRenderer(RenderTool.Options).RenderAsync(RenderTool.Job(temp.Combine("repo"), kind, path, helm: helm), CancellationToken.None);

    private StderrSecretsTests Write(string path, string text)
    {
        var file = temp.Combine("repo", path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, text);
        return this;
    }

    private void Chart(string folder, string data) =>
        Write($"{folder}/Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n")
            .Write($"{folder}/templates/cm.yaml", $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{{{ .Release.Name }}}}-cm\ndata:\n  {data}\n");
}
