using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace GitOps.Integration.Tests.Faults;

/// <summary>
/// `gitops agent` as a real child process with a kubeconfig, so a test can pause it (SIGSTOP),
/// resume it (SIGCONT) or kill it, as the kernel or the kubelet would.
/// </summary>
internal sealed class AgentProcess : IDisposable
{
    private readonly Process process;
    private readonly string folder = Path.Combine(Path.GetTempPath(), ClusterFixture.UniqueName("agentproc"));

    /// <param name="targets">The config's targets: YAML list items, indented by two spaces.</param>
    /// <param name="extra">More top-level keys of the config (such as <c>shards: 3</c>), one per line.</param>
    public AgentProcess(string identity, string kubeconfig, string ns, string targets, ITestOutputHelper output, string leaseDuration = "4s", string extra = "")
    {
        Identity = identity;
        Port = Ports.Free();
        Directory.CreateDirectory(folder);
        var config = Path.Combine(folder, "config.yaml");
        File.WriteAllText(config, $"""
            cluster: test
            namespace: {ns}
            port: {Port}
            cacheDir: {Path.Combine(folder, "cache")}
            leaseDuration: {leaseDuration}
            {extra}
            targets:
            {targets}
            """);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "gitops.dll"), "agent", "--config", config, "--kubeconfig", kubeconfig })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["POD_NAME"] = identity;
        process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Record(output, e.Data);
        process.ErrorDataReceived += (_, e) => Record(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Identity { get; }

    /// <summary>The agent's HTTP port (<c>/metrics</c>, <c>/readyz</c>).</summary>
    public int Port { get; }

    /// <summary>SIGKILL: the process ends at once, its Leases left to run out.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    /// <summary>Every line the agent logged so far.</summary>
    public ConcurrentQueue<string> Lines { get; } = new();

    public bool HasExited => process.HasExited;

    public void Pause() => Signal("STOP");

    public void Resume() => Signal("CONT");

    private void Signal(string name) =>
        Processes.Run("kill", folder, null, $"-{name}", process.Id.ToString(CultureInfo.InvariantCulture));

    public void Dispose()
    {
        if (!process.HasExited)
        {
            Resume(); // a stopped process cannot act on SIGKILL's cleanup otherwise
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    private void Record(ITestOutputHelper output, string? line)
    {
        if (line is null)
        {
            return;
        }

        Lines.Enqueue(line);
        try
        {
            output.WriteLine($"[{Identity}] {line}");
        }
        catch (InvalidOperationException)
        {
            // the test has finished; late lines are dropped
        }
    }
}
