using System.Diagnostics;
using GitOps.Agent.Render;

namespace GitOps.TestSupport.Helm;

/// <summary>The helm the agent finds (eng/test-deps.sh installs it), run by the fixtures with a HOME of their own.</summary>
public static class Helm
{
    private static readonly string Home = Directory.CreateTempSubdirectory("gitops-helm-fixture-").FullName;

    public static string Binary => Tools.Locate(RenderOptions.FromEnvironment().HelmPath)
        ?? throw new InvalidOperationException("helm not found: run eng/test-deps.sh");

    /// <summary>Runs helm; its stdout, or an exception with its stderr.</summary>
    public static string Run(string workDir, params string[] args) => RunWithInput(workDir, null, args);

    public static string RunWithInput(string workDir, string? input, params string[] args)
    {
        var start = new ProcessStartInfo(Binary) { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["HOME"] = Home;
        foreach (var v in (string[])["HELM_CONFIG_HOME", "HELM_CACHE_HOME", "HELM_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"])
        {
            start.Environment.Remove(v);
        }

        using var process = Process.Start(start)!;
        if (input is not null)
        {
            process.StandardInput.Write(input);
        }

        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? stdout : throw new InvalidOperationException($"helm {string.Join(' ', args)}: {stderr.Result}");
    }
}
