using GitOps.Agent.Git;
using GitOps.Agent.Render;
using GitOps.Agent.Tests.Git;

namespace GitOps.Agent.Tests.Render;

/// <summary>Bad input and bad tools, each a clear <see cref="RenderException"/>; the cache; the clean environment.</summary>
public sealed class ToolRendererTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Render_KustomizationLoadingOutsideTheRepository_IsRefusedNamingTheFile()
    {
        Write("app/kustomization.yaml", "resources:\n  - ../../outside\n");

        var ex = await Assert.ThrowsAsync<RenderException>(() => Render(SourceKind.Kustomize, "app"));

        Assert.Contains("app/kustomization.yaml (resources): '../../outside' is outside the repository", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_PatchFileOutsideTheRepository_IsRefused()
    {
        Write("base/kustomization.yaml", "resources: [cm.yaml]\npatches:\n  - path: ../../../etc/passwd\n").Write("base/cm.yaml", ConfigMap("a"));
        Write("app/kustomization.yaml", "resources: [../base]\n");

        var ex = await Assert.ThrowsAsync<RenderException>(() => Render(SourceKind.Kustomize, "app"));

        Assert.Contains("base/kustomization.yaml (patches): '../../../etc/passwd' is outside the repository", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_RemoteBase_IsRefused()
    {
        Write("app/kustomization.yaml", "resources:\n  - https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v5.5.0\n");

        var ex = await Assert.ThrowsAsync<RenderException>(() => Render(SourceKind.Kustomize, "app"));

        Assert.Contains("is a remote resource", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_KustomizeError_IsTheToolsMessageWithRepositoryPaths()
    {
        Write("app/kustomization.yaml", "resources: [missing.yaml]\n");

        var ex = await Assert.ThrowsAsync<RenderException>(() => Render(SourceKind.Kustomize, "app"));

        Assert.Contains("target 'golden': kustomize build of app failed:", ex.Message, StringComparison.Ordinal);
        Assert.Contains("missing.yaml", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("gitops-render-", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_ValuesFileOutsideTheRepository_IsRefused()
    {
        Chart("chart", "x: {{ .Values.x }}");

        var ex = await Assert.ThrowsAsync<RenderException>(() => Render(SourceKind.Helm, "chart", new HelmSettings(null, ["../../secrets.yaml"], null)));

        Assert.Contains("values file '../../secrets.yaml' is outside the repository", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_TemplateError_IsHelmsMessageNamingTheTemplate()
    {
        Chart("chart", "x: {{ .Values.x | nosuchfunction }}");

        var ex = await Assert.ThrowsAsync<RenderException>(() => Render(SourceKind.Helm, "chart"));

        Assert.Contains("helm template of chart failed:", ex.Message, StringComparison.Ordinal);
        Assert.Contains("templates/cm.yaml", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("gitops-render-", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_TemplateErrorQuotingASecretValue_IsRedacted()
    {
        Chart("chart", "x: {{ fail (printf \"cannot use %s\" .Values.db.password) }}");
        Write("chart/values.yaml", "db:\n  password: hunter2-sup3r\n");

        var ex = await Assert.ThrowsAsync<RenderException>(() => Render(SourceKind.Helm, "chart"));

        Assert.Contains("cannot use", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-sup3r", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_KustomizeErrorQuotingAGeneratorLiteral_IsRedacted()
    {
        Write("app/kustomization.yaml", "secretGenerator:\n  - name: s\n    literals: [tok-4d8f9a77]\n"); // the key is missing, and kustomize quotes the literal

        var ex = await Assert.ThrowsAsync<RenderException>(() => Render(SourceKind.Kustomize, "app"));

        Assert.Contains("invalid literal source", ex.Message, StringComparison.Ordinal);

        Assert.DoesNotContain("tok-4d8f9a77", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_InlineValuesAndRelease_ReachTheTemplates()
    {
        Chart("chart", "x: {{ .Values.x | quote }}\n  ns: {{ .Release.Namespace }}");

        var files = await Render(SourceKind.Helm, "chart", new HelmSettings("rel", [], new System.Text.Json.Nodes.JsonObject { ["x"] = "inline" }));

        var obj = Diff.Render.ManifestRenderer.Render(files).Single().Object;
        Assert.Equal("rel-cm", (string?)obj["metadata"]!["name"]);
        Assert.Equal("inline", (string?)obj["data"]!["x"]);
        Assert.Equal("golden", (string?)obj["data"]!["ns"]);
    }

    [Fact]
    public async Task Render_ToolThatHangs_IsStoppedAtTheTimeout()
    {
        Write("app/kustomization.yaml", "resources: []\n");
        var tool = Script("hang", "sleep 60");
        var renderer = new ToolRenderer(new RenderOptions { KustomizePath = tool, Timeout = TimeSpan.FromSeconds(1) });

        var started = System.Diagnostics.Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<RenderException>(() => renderer.RenderAsync(Job(SourceKind.Kustomize, "app"), CancellationToken.None));

        Assert.Contains("still running after 1 s; it was stopped (timeout)", ex.Message, StringComparison.Ordinal);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(30), $"took {started.Elapsed}");
    }

    [Fact]
    public async Task Render_OutputOverTheBudget_IsRefused()
    {
        Write("app/kustomization.yaml", "resources: []\n");
        var tool = Script("flood", "yes 'a: b'");
        var renderer = new ToolRenderer(new RenderOptions { KustomizePath = tool, MaxOutputBytes = 100_000 });

        var ex = await Assert.ThrowsAsync<RenderException>(() => renderer.RenderAsync(Job(SourceKind.Kustomize, "app"), CancellationToken.None));

        Assert.Contains("larger than 100,000 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_MissingTool_NamesTheTargetAndWhatToInstall()
    {
        Chart("chart", "x: y");
        var renderer = new ToolRenderer(new RenderOptions { HelmPath = temp.Combine("no-such-helm") });

        var ex = await Assert.ThrowsAsync<RenderException>(() => renderer.RenderAsync(Job(SourceKind.Helm, "chart"), CancellationToken.None));

        Assert.Contains("target 'golden': chart is a Helm chart, but helm (v4.1.4 is tested) was not found", ex.Message, StringComparison.Ordinal);
        Assert.Contains("GITOPS_HELM", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_SameKeyTwice_RunsTheToolOnce()
    {
        Write("app/kustomization.yaml", "resources: [cm.yaml]\n").Write("app/cm.yaml", ConfigMap("a"));
        var renderer = new ToolRenderer(RenderTool.Options);

        var first = await renderer.RenderAsync(Job(SourceKind.Kustomize, "app") with { TreeKey = "tree-1" }, CancellationToken.None);
        var second = await renderer.RenderAsync(Job(SourceKind.Kustomize, "app") with { TreeKey = "tree-1" }, CancellationToken.None);
        await renderer.RenderAsync(Job(SourceKind.Kustomize, "app") with { TreeKey = "tree-2" }, CancellationToken.None);

        Assert.Same(first, second);
        Assert.Equal(2, renderer.Runs);
    }

    [Fact]
    public async Task Render_Environment_HoldsNoKubeconfigNorProxyOfTheAgent()
    {
        Write("app/kustomization.yaml", "resources: []\n");
        var tool = Script("env", "env | sort | sed 's/^/# /'");
        var renderer = new ToolRenderer(new RenderOptions { KustomizePath = tool });
        Environment.SetEnvironmentVariable("HTTPS_PROXY", "http://proxy.invalid:3128");

        var text = System.Text.Encoding.UTF8.GetString((await renderer.RenderAsync(Job(SourceKind.Kustomize, "app"), CancellationToken.None))[0].Content.Span);

        Assert.DoesNotContain("PROXY", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("# HOME=/tmp/gitops-render-", text, StringComparison.Ordinal);
        Assert.Contains("no-kubeconfig", text, StringComparison.Ordinal);
        Environment.SetEnvironmentVariable("HTTPS_PROXY", null);
    }

    private Task<IReadOnlyList<Diff.Render.ManifestFile>> Render(SourceKind kind, string path, HelmSettings? helm = null) =>
        new ToolRenderer(RenderTool.Options).RenderAsync(Job(kind, path, helm), CancellationToken.None);

    private RenderJob Job(SourceKind kind, string path, HelmSettings? helm = null) => RenderTool.Job(temp.Combine("repo"), kind, path, helm: helm);

    private ToolRendererTests Write(string path, string text)
    {
        var file = temp.Combine("repo", path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, text);
        return this;
    }

    private void Chart(string folder, string data) =>
        Write($"{folder}/Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n")
            .Write($"{folder}/templates/cm.yaml", $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{{{ .Release.Name }}}}-cm\ndata:\n  {data}\n");

    /// <summary>A "tool" that is a shell script (named kustomize, so it is run as kustomize, not kubectl).</summary>
    private string Script(string name, string body)
    {
        var file = temp.Combine(name, "kustomize");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, $"#!/bin/sh\nif [ \"$1\" = version ]; then echo v0-test; exit 0; fi\n{body}\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, (UnixFileMode)0b111_101_101);
        }

        return file;
    }

    private static string ConfigMap(string name) => $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n";
}
