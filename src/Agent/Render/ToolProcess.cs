using System.Diagnostics;
using System.Text;

namespace GitOps.Agent.Render;

/// <summary>What a tool run left: its exit code, stdout (within budget) and the start of stderr.</summary>
#pragma warning disable CA1819 // read once by the caller
internal sealed record ToolResult(int ExitCode, byte[] Stdout, string Stderr);
#pragma warning restore CA1819

/// <summary>
/// Runs a tool in a clean environment: only PATH, and HOME / XDG_* / HELM_* inside the run's
/// private folder, so no KUBECONFIG, credentials, proxies or user plugins reach it. The run is
/// killed with its children at the timeout, on cancellation, or when stdout passes the budget.
/// </summary>
internal static class ToolProcess
{
    private const int MaxStderrChars = 16 * 1024;

    /// <param name="network">Extra environment of a run that may reach the network (chart repositories: <see cref="DependencyFetch"/>'s proxy rules); null for none.</param>
    public static async Task<ToolResult> RunAsync(
        string file, IReadOnlyList<string> args, string workDir, string home, RenderOptions options, string what, CancellationToken ct, IReadOnlyDictionary<string, string>? network = null)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        CleanEnvironment(start, home);
        foreach (var (name, value) in network ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new RenderException($"{what}: cannot run {file}: {ex.Message}", ex);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(options.Timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        var stdout = ReadCappedAsync(process.StandardOutput.BaseStream, options.MaxOutputBytes, linked);
        var stderr = ReadStderrAsync(process.StandardError);
        try
        {
            await process.WaitForExitAsync(linked.Token);
            var output = await stdout;
            return output is null
                ? throw new RenderException($"{what}: the output is larger than {options.MaxOutputBytes:N0} bytes (budget MaxOutputBytes); the tool was stopped")
                : new ToolResult(process.ExitCode, output, await stderr);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            Kill(process);
            if (stdout.IsCompletedSuccessfully && stdout.Result is null)
            {
                throw new RenderException($"{what}: the output is larger than {options.MaxOutputBytes:N0} bytes (budget MaxOutputBytes); the tool was stopped");
            }

            throw new RenderException($"{what}: still running after {options.Timeout.TotalSeconds:0.#} s; it was stopped (timeout)");
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            throw;
        }
    }

    private static void CleanEnvironment(ProcessStartInfo start, string home)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        start.Environment.Clear();
        start.Environment["PATH"] = path;
        start.Environment["HOME"] = home;
        start.Environment["XDG_CONFIG_HOME"] = Path.Combine(home, ".config");
        start.Environment["XDG_CACHE_HOME"] = Path.Combine(home, ".cache");
        start.Environment["XDG_DATA_HOME"] = Path.Combine(home, ".local", "share");
        start.Environment["HELM_CONFIG_HOME"] = Path.Combine(home, "helm", "config");
        start.Environment["HELM_CACHE_HOME"] = Path.Combine(home, "helm", "cache");
        start.Environment["HELM_DATA_HOME"] = Path.Combine(home, "helm", "data");
        start.Environment["HELM_PLUGINS"] = Path.Combine(home, "helm", "plugins");
        start.Environment["KUBECONFIG"] = Path.Combine(home, "no-kubeconfig");
        start.Environment["LANG"] = "C";
    }

    /// <summary>Null when the stream carried more than <paramref name="max"/> bytes (the run is then cancelled).</summary>
    private static async Task<byte[]?> ReadCappedAsync(Stream stream, long max, CancellationTokenSource stop)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, CancellationToken.None)) > 0)
        {
            if (buffer.Length + read > max)
            {
                await stop.CancelAsync();
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static async Task<string> ReadStderrAsync(StreamReader reader)
    {
        var text = new StringBuilder();
        var chunk = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(chunk, CancellationToken.None)) > 0)
        {
            if (text.Length < MaxStderrChars)
            {
                text.Append(chunk, 0, Math.Min(read, MaxStderrChars - text.Length));
            }
        }

        return text.ToString();
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }
}
