using System.Text.RegularExpressions;

namespace GitOps.Agent.Tests;

/// <summary>
/// The folders of src/Agent import each other one way only: Cli → Hosting → Sync → Render →
/// Kube and Git, which import none of them (Diff, pure, is below all). One assembly lets any type
/// see any other, so the arrows are checked here, in the source: a <c>using</c>, a qualified name
/// (<c>GitOps.Agent.Sync.X</c>) or a name relative to the parent namespace (<c>Sync.X</c>).
/// </summary>
public sealed partial class LayeringTests
{
    private static readonly Dictionary<string, string[]> MayUse = new(StringComparer.Ordinal)
    {
        ["Kube"] = [],
        ["Git"] = [],
        ["Render"] = ["Git", "Kube"],
        ["Sync"] = ["Git", "Kube", "Render"],
        ["Hosting"] = ["Git", "Kube", "Render", "Sync"],
        ["Cli"] = ["Git", "Kube", "Render", "Sync", "Hosting"],
    };

    [Fact]
    public void AgentFolders_Imports_PointOneWay()
    {
        var agent = Path.Combine(RepositoryRoot(), "src", "Agent");
        var wrong = new List<string>();
        foreach (var (folder, allowed) in MayUse)
        {
            var forbidden = MayUse.Keys.Where(k => k != folder && !allowed.Contains(k)).ToList();
            foreach (var file in Directory.EnumerateFiles(Path.Combine(agent, folder), "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
            {
                var lines = File.ReadAllLines(file);
                for (var i = 0; i < lines.Length; i++)
                {
                    var code = Code(lines[i]);
                    wrong.AddRange(forbidden.Where(f => Refers(code, f)).Select(f => $"{Path.GetRelativePath(agent, file)}:{i + 1} uses {f}"));
                }
            }
        }

        Assert.Empty(wrong);
    }

    [Theory]
    [InlineData("using GitOps.Agent.Sync;", "Sync", true)]
    [InlineData("var r = new GitOps.Agent.Sync.SyncResult();", "Sync", true)]
    [InlineData("Sync.Forge.CommitStatusReporter => \"forge\",", "Sync", true)]
    [InlineData("using GitOps.Agent.SyncTools;", "Sync", false)]
    [InlineData("var x = FullSync.Run();", "Sync", false)]
    [InlineData("var x = options.Sync.Value;", "Sync", false)]
    public void Refers_Spellings_FoundOrNot(string line, string folder, bool expected) => Assert.Equal(expected, Refers(Code(line), folder));

    private static bool Refers(string code, string folder) =>
        Regex.IsMatch(code, $@"using GitOps\.Agent\.{folder}(\.\w+)*;|GitOps\.Agent\.{folder}\.|(?<![\w.]){folder}\.[A-Z]");

    /// <summary>The line without its comment and the contents of its string literals.</summary>
    private static string Code(string line) => StringLiteral().Replace(line, "\"\"").Split("//")[0];

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex StringLiteral();

    private static string RepositoryRoot()
    {
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (d is not null && !File.Exists(Path.Combine(d.FullName, "GitOps.sln")))
        {
            d = d.Parent;
        }

        return d?.FullName ?? throw new InvalidOperationException("GitOps.sln not found above the test binaries");
    }
}
