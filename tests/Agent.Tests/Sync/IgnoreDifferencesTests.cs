using System.Diagnostics;
using GitOps.Agent.Sync;
using GitOps.Agent.Tests.Git;
using GitOps.Diff.Drift;

namespace GitOps.Agent.Tests.Sync;

/// <summary>
/// <c>--ignore-differences FILE</c>: a YAML list of Argo CD's ignoreDifferences items, read by the
/// same reader (and rules) as a target's <c>ignoreDifferences</c> in the agent's configuration.
/// </summary>
public sealed class IgnoreDifferencesTests : IDisposable
{
    private readonly TempFolder folder = new();

    [Fact]
    public void Load_ListOfRules_ReadsEveryField()
    {
        var file = Write("""
            - group: apps
              kind: Deployment
              name: web
              namespace: shop
              jsonPointers: [/spec/replicas]
            - kind: ConfigMap
              jsonPointers:
              - /data/generated
              - /metadata/annotations/stamp
            """);

        var rules = IgnoreDifferences.Load(file);

        Assert.Equal(2, rules.Count);
        Assert.Equal(new IgnoreRule("apps", "Deployment", "shop", "web", rules[0].JsonPointers), rules[0]);
        Assert.Equal(["/spec/replicas"], rules[0].JsonPointers);
        Assert.Equal(new IgnoreRule("", "ConfigMap", null, null, rules[1].JsonPointers), rules[1]);
        Assert.Equal(["/data/generated", "/metadata/annotations/stamp"], rules[1].JsonPointers);
    }

    [Fact]
    public void Load_EmptyList_HasNoRules()
    {
        Assert.Empty(IgnoreDifferences.Load(Write("[]\n")));
    }

    [Fact]
    public void Load_InvalidItems_ReportsEveryProblemWithItsIndex()
    {
        var file = Write("""
            - kind: Deployment
            - kind: Service
              jsonPointers: [spec/clusterIP, /ok]
            - group: apps
              kind: Deployment
              jsonPointer: [/spec/replicas]
              jqPathExpressions: [.spec]
            - just a string
            """);

        var ex = Assert.Throws<FormatException>(() => IgnoreDifferences.Load(file));

        Assert.Equal(
            string.Join(Environment.NewLine, [
                $"{file}: 6 problems:",
                "  [0].jsonPointers: required (a list of JSON pointers such as /spec/replicas)",
                "  [1].jsonPointers[0]: must start with '/' (a JSON pointer, RFC 6901)",
                "  [2].jqPathExpressions: not supported yet",
                "  [2].jsonPointers: required (a list of JSON pointers such as /spec/replicas)",
                "  [2].jsonPointer: unknown key (did you mean jsonPointers?)",
                "  [3]: must be a mapping",
            ]),
            ex.Message);
    }

    [Fact]
    public void Load_InvalidYaml_NamesFileLineAndColumn()
    {
        var file = Write("- kind: Deployment\n  kind: StatefulSet\n  jsonPointers: [/spec/replicas]\n");

        var ex = Assert.Throws<FormatException>(() => IgnoreDifferences.Load(file));

        Assert.StartsWith($"{file}:2:3: duplicate key \"kind\"", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kind: Deployment\njsonPointers: [/spec/replicas]\n", "the document: must be a list of {group, kind, name, namespace, jsonPointers}")]
    [InlineData("", "the file is empty; it must hold a list of rules")]
    public void Load_NotOneList_IsAnError(string text, string expected)
    {
        var file = Write(text);

        var ex = Assert.Throws<FormatException>(() => IgnoreDifferences.Load(file));

        Assert.Equal($"{file}: {expected}", ex.Message);
    }

    [Fact]
    public void Load_MissingFile_IsAFormatErrorNamingIt()
    {
        var file = folder.Combine("absent.yaml");

        var ex = Assert.Throws<FormatException>(() => IgnoreDifferences.Load(file));

        Assert.StartsWith($"{file}: cannot read the file", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("diff")]
    [InlineData("sync")]
    public void Cli_BadIgnoreDifferencesFile_ExitsTwoWithFileAndLine(string command)
    {
        var file = Write("- kind: Deployment\n  kind: StatefulSet\n");

        var (exit, stderr) = Gitops(command, "--repo", folder.Combine("no-such-repo"), "--ignore-differences", file, "--cache-dir", folder.Combine("cache"));

        Assert.Equal(2, exit);
        Assert.Contains($"error: {file}:2:3: duplicate key \"kind\"", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => folder.Dispose();

    private string Write(string text)
    {
        var file = folder.Combine($"ignore-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, text);
        return file;
    }

    private static (int Exit, string Stderr) Gitops(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "gitops.dll"));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stderr.Result);
    }
}
