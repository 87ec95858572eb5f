using System.Net;
using GitOps.TestSupport.Git;

namespace GitOps.TestSupport.Helm;

/// <summary>
/// A real HTTP chart repository: lighttpd serving an <c>index.yaml</c> and the packages the real
/// <c>helm package</c> made, behind basic auth under <c>/charts</c>, on a free port. Packages
/// published with <see cref="PublishElsewhere"/> go under <c>/public</c> (no auth) and the index
/// names them by another address of this machine, as indexes that link to a CDN do. A test shows
/// that nothing asks the repository by stopping it (<see cref="Stop"/>).
/// </summary>
public sealed class ChartRepositoryServer : IDisposable
{
    public const string User = "bob";
    public const string Password = "chart-repo-p4ss-5d1e";

    private readonly string root = Directory.CreateTempSubdirectory("gitops-charts-").FullName;
    private readonly StaticHttpServer server;

    /// <param name="tls">Serve HTTPS with a self-signed certificate (<see cref="CaFile"/> verifies it).</param>
    public ChartRepositoryServer(bool tls = false)
    {
        Scheme = tls ? "https" : "http";
        if (tls)
        {
            TestCertificate.Write(CaFile, Combine("key.pem"));
        }

        Directory.CreateDirectory(Combine("www/charts"));
        Directory.CreateDirectory(Combine("www/public"));
        File.WriteAllText(Combine("users"), $"{User}:{Password}\n");
        server = new StaticHttpServer(root, port => Config(port));
    }

    /// <summary>The repository URL (<c>http://127.0.0.1:PORT/charts</c>).</summary>
    public string Url => $"{Scheme}://127.0.0.1:{server.Port}/charts";

    /// <summary>http, or https when made with TLS.</summary>
    public string Scheme { get; }

    /// <summary>The PEM certificate of a TLS server (self-signed: it is its own CA).</summary>
    public string CaFile => Combine("ca.pem");

    public int Port => server.Port;

    /// <summary>Stops serving: from now on every request to the repository fails.</summary>
    public void Stop() => server.Dispose();

    /// <summary>Packages the chart in <paramref name="chartDir"/> with helm into the repository and rebuilds the index.</summary>
    public void Publish(string chartDir)
    {
        Helm.Run(root, "package", chartDir, "--destination", Combine("www/charts"));
        Helm.Run(root, "repo", "index", Combine("www/charts"), "--url", Url);
    }

    /// <summary>Packages the chart under <c>/public</c> and makes the index name it at <paramref name="host"/> (another address of this machine).</summary>
    public void PublishElsewhere(string chartDir, IPAddress host)
    {
        Helm.Run(root, "package", chartDir, "--destination", Combine("www/public"));
        Helm.Run(root, "repo", "index", Combine("www/public"), "--url", $"{Scheme}://{host}:{server.Port}/public");
        File.Copy(Combine("www/public/index.yaml"), Combine("www/charts/index.yaml"), overwrite: true);
    }

    /// <summary>Repository config for a helm run of the tests' own (the oracle), made by <c>helm repo add</c> with the right credentials.</summary>
    public string[] HelmArgs()
    {
        var config = Combine($"oracle-{Guid.NewGuid():N}.yaml");
        var cache = Combine($"oracle-cache-{Guid.NewGuid():N}");
        string[] tls = Scheme == "https" ? ["--ca-file", CaFile] : [];
        Helm.RunWithInput(root, Password, ["repo", "add", "charts", Url, "--username", User, "--password-stdin", "--repository-config", config, "--repository-cache", cache, .. tls]);
        return ["--repository-config", config, "--repository-cache", cache];
    }

    /// <summary>The Chart.lock <c>helm dependency update</c> writes for the chart, against the repository as it is now.</summary>
    public string LockOf(string chartDir)
    {
        var copy = ChartFolders.Copy(chartDir);
        try
        {
            Helm.Run(copy, ["dependency", "update", ".", .. HelmArgs()]);
            return File.ReadAllText(Path.Combine(copy, "Chart.lock"));
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    /// <summary>Writes a secret into a file of its own, as a mounted Kubernetes Secret would be.</summary>
    public string SecretFile(string name, string value)
    {
        var path = Combine($"secret-{name}-{Guid.NewGuid():N}");
        File.WriteAllText(path, value + "\n");
        return path;
    }

    public void Dispose()
    {
        server.Dispose();
        Directory.Delete(root, recursive: true);
    }

    private string Combine(string name) => Path.Combine(root, name);

    private string Config(int port) => $$"""
        server.document-root = "{{Combine("www")}}"
        server.bind = "0.0.0.0"
        server.port = {{port}}
        server.errorlog = "{{Combine("error.log")}}"
        server.modules = ("mod_auth", "mod_authn_file")
        server.stat-cache-engine = "disable"
        {{(Scheme == "https" ? $"server.modules += (\"mod_openssl\")\nssl.engine = \"enable\"\nssl.pemfile = \"{CaFile}\"\nssl.privkey = \"{Combine("key.pem")}\"" : string.Empty)}}
        mimetype.assign = (".yaml" => "application/x-yaml", ".tgz" => "application/gzip")
        auth.backend = "plain"
        auth.backend.plain.userfile = "{{Combine("users")}}"
        auth.require = ("/charts" => ("method" => "basic", "realm" => "charts", "require" => "valid-user"))
        """;
}
