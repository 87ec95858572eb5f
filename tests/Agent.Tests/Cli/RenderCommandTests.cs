using System.Diagnostics;
using System.Text.Json.Nodes;
using GitOps.Diff.Json;

namespace GitOps.Agent.Tests.Cli;

/// <summary>
/// `gitops render` as a user runs it (the real executable, a real folder): it reads YAML exactly
/// as kubectl 1.33 did (the design folder's edge cases and kubectl's own output of them, copied
/// into the Diff tests' goldens), and invalid input exits 2 with file:line:column.
/// </summary>
public sealed class RenderCommandTests : IDisposable
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), $"render-{Guid.NewGuid():N}");

    public RenderCommandTests() => Directory.CreateDirectory(dir);

    [Fact]
    public void Render_YamlEdgeCases_PrintsExactlyWhatKubectlRead()
    {
        var golden = Path.Combine(RepositoryRoot(), "tests", "Diff.Tests", "testdata", "render", "edge-cases");
        File.Copy(Path.Combine(golden, "input.yaml"), Path.Combine(dir, "yaml-edge-cases.yaml"));

        var (exit, stdout, _) = Gitops("render", "--path", dir, "-o", "json");

        Assert.Equal(0, exit);
        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(golden, "expected.json")));
        Assert.True(JsonEquality.Equal(expected, JsonNode.Parse(stdout)), stdout);
    }

    [Fact]
    public void Render_DuplicateKey_ExitsTwoNamingFileLineAndColumn()
    {
        File.WriteAllText(Path.Combine(dir, "broken.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n");

        var (exit, _, stderr) = Gitops("render", "--path", dir);

        Assert.Equal(2, exit);
        Assert.Contains("broken.yaml:5:3: duplicate key \"name\" (first defined at broken.yaml:4:3)", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_IgnoreFileAndLetterCase_SelectsTheFilesASyncReads()
    {
        File.WriteAllText(Path.Combine(dir, ".gitopsignore"), "drafts/\n");
        Directory.CreateDirectory(Path.Combine(dir, "drafts"));
        File.WriteAllText(Path.Combine(dir, "drafts", "wip.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: draft\n");
        File.WriteAllText(Path.Combine(dir, "upper.YAML"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: upper\n");
        File.WriteAllText(Path.Combine(dir, "kept.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kept\n");

        var (exit, stdout, _) = Gitops("render", "--path", dir, "-o", "json");

        Assert.Equal(0, exit);
        Assert.Equal("kept", (string?)JsonNode.Parse(stdout)!["metadata"]!["name"]); // kubectl -R skips .YAML too
    }

    [Fact]
    public void Render_Symlink_IsRefusedAsSyncRefusesIt()
    {
        File.WriteAllText(Path.Combine(dir, "real.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: real\n");
        File.CreateSymbolicLink(Path.Combine(dir, "link.yaml"), "/etc/passwd");

        var (exit, _, stderr) = Gitops("render", "--path", dir);

        Assert.Equal(2, exit);
        Assert.Contains("link.yaml is a symlink", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Secret_HidesValuesUnlessAsked()
    {
        File.WriteAllText(Path.Combine(dir, "s.yaml"), "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  password: hunter2-very-secret\n");

        var (exit, stdout, _) = Gitops("render", "--path", dir);
        var (_, shown, _) = Gitops("render", "--path", dir, "--show-secrets");

        Assert.Equal(0, exit);
        Assert.DoesNotContain("hunter2", stdout, StringComparison.Ordinal);
        Assert.Contains("password: (hidden)", stdout, StringComparison.Ordinal);
        Assert.Contains("hunter2-very-secret", shown, StringComparison.Ordinal);
    }

    /// <summary>Runs the built <c>gitops</c> CLI with <paramref name="args"/>.</summary>
    internal static (int Exit, string Stdout, string Stderr) Gitops(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "gitops.dll"));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr);
    }

    private static string RepositoryRoot()
    {
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (d is not null && !File.Exists(Path.Combine(d.FullName, "GitOps.sln")))
        {
            d = d.Parent;
        }

        return d?.FullName ?? throw new InvalidOperationException("GitOps.sln not found above the test binaries");
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);
}
