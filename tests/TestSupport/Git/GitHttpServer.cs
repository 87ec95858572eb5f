using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace GitOps.TestSupport.Git;

/// <summary>
/// A real HTTP git server on loopback: lighttpd with basic auth in front of git-http-backend (CGI),
/// on a free port, from a generated config. The packages come from eng/test-deps.sh; when they are
/// missing the fixture fails (it never skips) and says how to install them. Repositories under
/// <see cref="ProjectRoot"/> run their own hooks (<see cref="InstallHook"/>) as a forge's would.
/// </summary>
public sealed class GitHttpServer : IDisposable
{
    public const string User = "alice";
    public const string Token = "tok-7f3a9c1e-http-secret";

    private static readonly string[] LighttpdCandidates = ["/usr/sbin/lighttpd", "/usr/bin/lighttpd"];
    private readonly string root = Directory.CreateTempSubdirectory("gitops-http-").FullName;
    private readonly Process process;

    public GitHttpServer()
    {
        var lighttpd = LighttpdCandidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("lighttpd is not installed; run eng/test-deps.sh (it installs git and lighttpd)");
        var backend = Path.Combine(GitExecPath(), "git-http-backend");
        if (!File.Exists(backend))
        {
            throw new InvalidOperationException($"{backend} not found; run eng/test-deps.sh (it installs git)");
        }

        ProjectRoot = Directory.CreateDirectory(Combine("repos")).FullName;
        File.WriteAllText(Combine("users"), $"{User}:{Token}\n");

        string? lastError = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            // Another process can take the port between probing and binding; then try another.
            Port = FreePort();
            var config = Combine($"lighttpd-{Port}.conf");
            File.WriteAllText(config, Config(backend));
            var started = Start(lighttpd, config);
            if (WaitUntilListening(started, TimeSpan.FromSeconds(10)))
            {
                process = started;
                return;
            }

            lastError = ErrorLog();
            Stop(started);
        }

        throw new InvalidOperationException($"lighttpd did not start on 127.0.0.1 (3 attempts): {lastError}");
    }

    /// <summary>The folder git-http-backend serves (GIT_PROJECT_ROOT).</summary>
    public string ProjectRoot { get; }

    public int Port { get; }

    /// <summary>The HTTP URL of a repository under <see cref="ProjectRoot"/>.</summary>
    public string UrlOf(string name) => $"http://127.0.0.1:{Port}/git/{name}";

    /// <summary>Where a bare repository named <paramref name="name"/> must be made to be served.</summary>
    public string PathOf(string name) => Path.Combine(ProjectRoot, name);

    /// <summary>Writes a secret into a file of its own, as a mounted Kubernetes Secret would be.</summary>
    public string SecretFile(string name, string value)
    {
        var path = Combine($"secret-{name}-{Guid.NewGuid():N}");
        File.WriteAllText(path, value + "\n");
        return path;
    }

    public string ErrorLog() => File.Exists(Combine("error.log")) ? File.ReadAllText(Combine("error.log")) : "(no error log)";

    /// <summary>
    /// Writes an executable hook (<c>post-receive</c>, <c>pre-receive</c>…) into the served bare
    /// repository <paramref name="name"/>. git-http-backend runs it with lighttpd's CGI environment,
    /// which has no PATH: the script is given a plain one first.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void InstallHook(string name, string hook, string script)
    {
        var path = Path.Combine(PathOf(name), "hooks", hook);
        var body = script.Replace("\r", string.Empty, StringComparison.Ordinal);
        var shebang = body.IndexOf('\n', StringComparison.Ordinal) + 1;
        File.WriteAllText(path, body[..shebang] + "PATH=/usr/local/bin:/usr/bin:/bin; export PATH\n" + body[shebang..]);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public void Dispose()
    {
        Stop(process);
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // lighttpd may still hold its log for a moment; temp folders are cleaned eventually
        }
    }

    private string Combine(string name) => Path.Combine(root, name);

    private static string GitExecPath()
    {
        var start = new ProcessStartInfo("git", "--exec-path") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        using var git = Process.Start(start) ?? throw new InvalidOperationException("git is not installed; run eng/test-deps.sh");
        var path = git.StandardOutput.ReadToEnd().Trim();
        git.WaitForExit();
        return path;
    }

    private string Config(string backend) => $$"""
        server.document-root = "{{ProjectRoot}}"
        server.bind = "127.0.0.1"
        server.port = {{Port}}
        server.errorlog = "{{Combine("error.log")}}"
        server.modules = ("mod_alias", "mod_auth", "mod_authn_file", "mod_cgi", "mod_setenv")
        alias.url = ("/git" => "{{backend}}")
        $HTTP["url"] =~ "^/git" {
          cgi.assign = ("" => "")
          setenv.set-environment = ("GIT_PROJECT_ROOT" => "{{ProjectRoot}}", "GIT_HTTP_EXPORT_ALL" => "1")
        }
        auth.backend = "plain"
        auth.backend.plain.userfile = "{{Combine("users")}}"
        auth.require = ("/git" => ("method" => "basic", "realm" => "git", "require" => "valid-user"))
        """;

    private static Process Start(string lighttpd, string config)
    {
        var start = new ProcessStartInfo(lighttpd) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("-D");
        start.ArgumentList.Add("-f");
        start.ArgumentList.Add(config);
        var started = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {lighttpd}");
        started.OutputDataReceived += (_, _) => { };
        started.ErrorDataReceived += (_, _) => { };
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        return started;
    }

    private bool WaitUntilListening(Process started, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !started.HasExited)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return true;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        return false;
    }

    private static void Stop(Process started)
    {
        if (!started.HasExited)
        {
            started.Kill();
            started.WaitForExit(5000);
        }

        started.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
