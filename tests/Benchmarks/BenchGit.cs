using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace GitOps.Benchmarks;

/// <summary>The git CLI and a free port, for the push benchmarks (a user's push, not the agent's).</summary>
internal static class BenchGit
{
    public static string Run(string dir, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (k, v) in new[] { ("GIT_AUTHOR_NAME", "bench"), ("GIT_AUTHOR_EMAIL", "bench@localhost"), ("GIT_COMMITTER_NAME", "bench"), ("GIT_COMMITTER_EMAIL", "bench@localhost") })
        {
            start.Environment[k] = v;
        }

        using var git = Process.Start(start)!;
        var stdout = git.StandardOutput.ReadToEndAsync();
        var stderr = git.StandardError.ReadToEnd();
        git.WaitForExit();
        return git.ExitCode == 0 ? stdout.Result.Trim() : throw new InvalidOperationException($"git {string.Join(' ', args)}: {stderr}");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Nearest-rank percentile of <paramref name="values"/>.</summary>
    public static long Percentile(IReadOnlyCollection<long> values, int p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
