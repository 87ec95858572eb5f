using System.Diagnostics;
using GitOps.Agent.Render;

namespace GitOps.Agent.Tests.Cli;

/// <summary>
/// `--helm-binary`, `--kustomize-binary` and `--render-timeout` (the agent config's
/// <c>render:</c>) on the real executable with the real tools: a flag wins over its environment
/// variable, the variable is still the fallback, and a path that names no file exits 2 at once.
/// </summary>
public sealed class RenderToolFlagsTests : IDisposable
{
    private const string NoSuchTool = "/no/such/dir/tool";
    private readonly string dir = Path.Combine(Path.GetTempPath(), $"render-tools-{Guid.NewGuid():N}");

    public RenderToolFlagsTests() => Directory.CreateDirectory(dir);

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void Render_HelmBinaryFlag_WinsOverGitopsHelm()
    {
        var chart = Write("chart/Chart.yaml", "apiVersion: v2\nname: demo\nversion: 0.1.0\n");
        Write("chart/templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\n");
        var env = new Dictionary<string, string> { ["GITOPS_HELM"] = NoSuchTool };

        var fallback = Gitops(env, "render", "--path", chart);
        var flagged = Gitops(env, "render", "--path", chart, "--helm-release", "rel", "--helm-binary", RenderOptions.WellKnownHelm);

        Assert.Equal(2, fallback.Exit); // the variable is still read without the flag
        Assert.Contains($"not found at '{NoSuchTool}'", fallback.Stderr, StringComparison.Ordinal);
        Assert.Contains("--helm-binary", fallback.Stderr, StringComparison.Ordinal); // the advice names the flag
        Assert.True(flagged.Exit == 0, flagged.Stderr);
        Assert.Contains("name: rel-cm", flagged.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_KustomizeBinaryFlag_WinsOverGitopsKustomize()
    {
        var app = Write("app/kustomization.yaml", "resources: [cm.yaml]\nnamePrefix: flag-\n");
        Write("app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n");
        var env = new Dictionary<string, string> { ["GITOPS_KUSTOMIZE"] = NoSuchTool };

        var fallback = Gitops(env, "render", "--path", app);
        var flagged = Gitops(env, "render", "--path", app, "--kustomize-binary", "kubectl");

        Assert.Equal(2, fallback.Exit);
        Assert.Contains($"not found at '{NoSuchTool}'", fallback.Stderr, StringComparison.Ordinal);
        Assert.True(flagged.Exit == 0, flagged.Stderr);
        Assert.Contains("name: flag-a", flagged.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_RenderTimeoutFlag_WinsOverGitopsRenderTimeout()
    {
        var app = Write("app/kustomization.yaml", "resources: []\n");
        var hang = Write("hang.sh", "#!/bin/sh\nif [ \"$1\" = version ]; then echo v0-test; exit 0; fi\nsleep 60\n"); // a kustomize that never ends
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(hang, (UnixFileMode)0b111_101_101);
        }
        var env = new Dictionary<string, string> { ["GITOPS_RENDER_TIMEOUT"] = "2" };

        var fallback = Gitops(env, "render", "--path", app, "--kustomize-binary", hang);
        var started = Stopwatch.StartNew();
        var flagged = Gitops(env, "render", "--path", app, "--kustomize-binary", hang, "--render-timeout", "1s");

        Assert.Equal(2, fallback.Exit);
        Assert.Contains("still running after 2 s", fallback.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, flagged.Exit);
        Assert.Contains("still running after 1 s; it was stopped (timeout)", flagged.Stderr, StringComparison.Ordinal);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(30), $"took {started.Elapsed}");
    }

    [Theory]
    [InlineData("render", "--helm-binary", NoSuchTool, "--helm-binary: no file at '/no/such/dir/tool'")]
    [InlineData("render", "--kustomize-binary", " ", "--kustomize-binary must name a binary")]
    [InlineData("render", "--render-timeout", "soon", "--render-timeout 'soon' is not a duration")]
    [InlineData("render", "--render-timeout", "500ms", "--render-timeout '500ms' must be at least 1s")]
    [InlineData("sync", "--helm-binary", NoSuchTool, "--helm-binary: no file at '/no/such/dir/tool'")]
    [InlineData("diff", "--kustomize-binary", NoSuchTool, "--kustomize-binary: no file at '/no/such/dir/tool'")]
    [InlineData("diff", "--render-timeout", "1x", "--render-timeout '1x' is not a duration")]
    public void Command_BadRenderToolFlag_ExitsTwoBeforeReadingAnything(string verb, string flag, string value, string error)
    {
        string[] where = verb == "render" ? ["--path", dir] : ["--repo", Path.Combine(dir, "no-such-repo.git")];

        var (exit, _, stderr) = Gitops(new Dictionary<string, string>(), [verb, .. where, flag, value]);

        Assert.Equal(2, exit);
        Assert.Contains(error, stderr, StringComparison.Ordinal);
    }

    private string Write(string relative, string content)
    {
        var path = Path.Combine(dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return relative.Contains('/', StringComparison.Ordinal) && !relative.EndsWith(".sh", StringComparison.Ordinal) ? Path.GetDirectoryName(path)! : path;
    }

    private static (int Exit, string Stdout, string Stderr) Gitops(IReadOnlyDictionary<string, string> env, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "gitops.dll"));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (name, value) in env)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr);
    }
}
