using System.Diagnostics;
using GitOps.Agent.Git;
using GitOps.Agent.Render;

namespace GitOps.Agent.Tests.Render;

/// <summary>The tools as the tests find them (eng/test-deps.sh installs helm), and jobs over folders on disk.</summary>
internal static class RenderTool
{
    public static RenderOptions Options { get; } = RenderOptions.FromEnvironment();

    public static string Helm => Tools.Locate(Options.HelmPath) ?? throw new InvalidOperationException($"helm not found at {Options.HelmPath}: run eng/test-deps.sh");

    public static string Kubectl => Tools.Locate("kubectl") ?? throw new InvalidOperationException("kubectl not found on PATH");

    /// <summary>A job over <paramref name="root"/> copied as a sync copies a commit.</summary>
    public static RenderJob Job(string root, SourceKind kind, string path, string? treeKey = null, HelmSettings? helm = null) =>
        new("golden", kind, path, treeKey, (dest, ct) => FolderExport.CopyAsync(root, path, dest, GitOptions.Default, ct))
        {
            Helm = helm ?? HelmSettings.None,
            Namespace = "golden",
        };

    /// <summary>Runs a tool directly (the oracle): its stdout, or an exception with its stderr.</summary>
    public static byte[] Run(string workDir, string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        using var output = new MemoryStream();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.BaseStream.CopyTo(output);
        process.WaitForExit();
        return process.ExitCode == 0 ? output.ToArray() : throw new InvalidOperationException($"{file} {string.Join(' ', args)}: {stderr.Result}");
    }
}
