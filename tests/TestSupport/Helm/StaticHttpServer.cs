using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace GitOps.TestSupport.Helm;

/// <summary>
/// lighttpd (from eng/test-deps.sh) on a free port, from a config the caller writes for that port;
/// a missing lighttpd fails the fixture (never skips) and says how to install it.
/// </summary>
internal sealed class StaticHttpServer : IDisposable
{
    private static readonly string[] Candidates = ["/usr/sbin/lighttpd", "/usr/bin/lighttpd"];
    private readonly Process process;
    private bool stopped;

    public StaticHttpServer(string root, Func<int, string> config)
    {
        var lighttpd = Candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("lighttpd is not installed; run eng/test-deps.sh");
        for (var attempt = 0; ; attempt++)
        {
            // Another process can take the port between probing and binding; then try another.
            Port = FreePort();
            var file = Path.Combine(root, $"lighttpd-{Port}.conf");
            File.WriteAllText(file, config(Port));
            var started = Processes.Start(lighttpd, "-D", "-f", file);
            if (Processes.WaitForPort(started, Port, TimeSpan.FromSeconds(10)))
            {
                process = started;
                return;
            }

            Processes.Stop(started);
            if (attempt == 2)
            {
                throw new InvalidOperationException($"lighttpd did not start (3 attempts): {File.ReadAllText(file)}");
            }
        }
    }

    public int Port { get; }

    public void Dispose()
    {
        if (!stopped)
        {
            stopped = true;
            Processes.Stop(process);
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Starting, waiting for and stopping the servers of these fixtures.</summary>
internal static class Processes
{
    public static Process Start(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        var started = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        started.OutputDataReceived += (_, _) => { };
        started.ErrorDataReceived += (_, _) => { };
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        return started;
    }

    public static bool WaitForPort(Process started, int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !started.HasExited)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        return false;
    }

    public static void Stop(Process started)
    {
        if (!started.HasExited)
        {
            started.Kill();
            started.WaitForExit(5000);
        }

        started.Dispose();
    }
}
