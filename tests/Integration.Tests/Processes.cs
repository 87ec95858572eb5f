using System.Diagnostics;

namespace GitOps.Integration.Tests;

/// <summary>What a finished command printed and how it exited.</summary>
internal sealed record ProcessResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs a command-line tool (git, kubectl) for test setup and returns its output, failing loudly.</summary>
internal static class Processes
{
    public static string Run(string file, string workingDirectory, IReadOnlyDictionary<string, string>? env, params string[] args)
    {
        var result = Exec(file, workingDirectory, env, args);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {result.ExitCode}: {result.Stderr}");
        }

        return result.Stdout;
    }

    /// <summary>Runs the command and returns its result whatever the exit code: for tests that expect a refusal.</summary>
    public static ProcessResult Exec(string file, string workingDirectory, IReadOnlyDictionary<string, string>? env, params string[] args)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            start.Environment[k] = v;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return new ProcessResult(process.ExitCode, stdout.Result, stderr);
    }

    /// <summary>kubectl 1.33 when the machine has it (the version the design was verified with).</summary>
    public static string Kubectl { get; } =
        File.Exists("/usr/lib/google-cloud-sdk/bin/kubectl.1.33") ? "/usr/lib/google-cloud-sdk/bin/kubectl.1.33" : "kubectl";
}
