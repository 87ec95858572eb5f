using System.Diagnostics;
using System.Text;

namespace GitOps.TestSupport.Helm;

/// <summary>
/// A real OCI registry: Debian's <c>docker-registry</c> (the CNCF distribution registry) on a free
/// loopback port, over TLS with a certificate made here (<see cref="CaFile"/> verifies it) and
/// htpasswd (bcrypt) basic auth. Charts go in with the real <c>helm push</c>. Both packages come
/// from eng/test-deps.sh; when missing the fixture fails and says so.
/// </summary>
public sealed class OciRegistry : IDisposable
{
    public const string User = "carol";
    public const string Password = "oci-registry-p4ss-8c2b";

    private readonly string root = Directory.CreateTempSubdirectory("gitops-oci-").FullName;
    private readonly Process process;

    public OciRegistry()
    {
        var registry = Path.Exists("/usr/bin/docker-registry") ? "/usr/bin/docker-registry"
            : throw new InvalidOperationException("docker-registry is not installed; run eng/test-deps.sh (it installs docker-registry and apache2-utils)");
        TestCertificate.Write(CaFile, Combine("key.pem"));
        File.WriteAllText(Combine("htpasswd"), Htpasswd());
        for (var attempt = 0; ; attempt++)
        {
            Port = StaticHttpServer.FreePort();
            File.WriteAllText(Combine("config.yml"), Config());
            var started = Processes.Start(registry, "serve", Combine("config.yml"));
            if (Processes.WaitForPort(started, Port, TimeSpan.FromSeconds(15)))
            {
                process = started;
                var login = new System.Text.Json.Nodes.JsonObject { ["auth"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")) };
                var auths = new System.Text.Json.Nodes.JsonObject { [$"127.0.0.1:{Port}"] = login };
                File.WriteAllText(LoginFile, new System.Text.Json.Nodes.JsonObject { ["auths"] = auths }.ToJsonString());
                return;
            }

            Processes.Stop(started);
            if (attempt == 2)
            {
                throw new InvalidOperationException("docker-registry did not start on 127.0.0.1 (3 attempts)");
            }
        }
    }

    public int Port { get; }

    /// <summary>The repository a chart depends on: <c>oci://127.0.0.1:PORT/charts</c>.</summary>
    public string Url => $"oci://127.0.0.1:{Port}/charts";

    /// <summary>The PEM certificate the registry serves (self-signed: it is its own CA).</summary>
    public string CaFile => Combine("ca.pem");

    /// <summary>A registry login file (Docker's config.json) holding the right credentials, for the oracle's helm.</summary>
    public string LoginFile => Combine("login.json");

    /// <summary>Packages the chart in <paramref name="chartDir"/> and pushes it with <c>helm push</c>.</summary>
    public void Push(string chartDir)
    {
        var packages = Directory.CreateDirectory(Combine($"packages-{Guid.NewGuid():N}")).FullName;
        Helm.Run(root, "package", chartDir, "--destination", packages);
        Helm.Run(root, "push", Directory.GetFiles(packages, "*.tgz").Single(), Url, "--ca-file", CaFile, "--registry-config", LoginFile);
    }

    public string SecretFile(string name, string value)
    {
        var path = Combine($"secret-{name}-{Guid.NewGuid():N}");
        File.WriteAllText(path, value + "\n");
        return path;
    }

    public void Dispose()
    {
        Processes.Stop(process);
        Directory.Delete(root, recursive: true);
    }

    private string Combine(string name) => Path.Combine(root, name);

    /// <summary>A bcrypt htpasswd line (the registry takes no other hash), from apache2-utils' htpasswd.</summary>
    private static string Htpasswd()
    {
        var start = new ProcessStartInfo(Path.Exists("/usr/bin/htpasswd") ? "/usr/bin/htpasswd" : throw new InvalidOperationException("htpasswd is not installed; run eng/test-deps.sh (apache2-utils)"))
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
        };
        foreach (var a in (string[])["-Bin", User])
        {
            start.ArgumentList.Add(a);
        }

        using var htpasswd = Process.Start(start)!;
        htpasswd.StandardInput.Write(Password);
        htpasswd.StandardInput.Close();
        var line = htpasswd.StandardOutput.ReadToEnd();
        htpasswd.WaitForExit();
        return htpasswd.ExitCode == 0 ? line : throw new InvalidOperationException($"htpasswd: {htpasswd.StandardError.ReadToEnd()}");
    }

    private string Config() => $"""
        version: 0.1
        log:
          level: error
        storage:
          filesystem:
            rootdirectory: {Combine("data")}
        http:
          addr: 127.0.0.1:{Port}
          secret: {Guid.NewGuid():N}
          tls:
            certificate: {CaFile}
            key: {Combine("key.pem")}
        auth:
          htpasswd:
            realm: gitops
            path: {Combine("htpasswd")}
        """;
}
