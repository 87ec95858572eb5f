using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.Diff.Render;
using k8s;

namespace GitOps.Agent.Kube;

/// <summary>
/// A fast path for the common kubeconfig: server, CA and a token, client certificate or basic
/// auth, read with our own YAML reader. KubernetesClient's loader builds a YAML type map of every
/// Kubernetes model first, which costs ~0.4 s per CLI run; anything this reader does not know
/// (exec plugins, auth providers, proxies, token files) goes to that loader unchanged.
/// </summary>
internal static class KubeconfigReader
{
    private static readonly HashSet<string> KnownUserFields = new(StringComparer.Ordinal)
    {
        "token", "client-certificate-data", "client-key-data", "client-certificate", "client-key", "username", "password",
    };

    /// <summary>The configuration, or null when the file needs KubernetesClient's full loader.</summary>
    public static KubernetesClientConfiguration? TryRead(string path, string? context)
    {
        var documents = ManifestRenderer.RenderText(path, File.ReadAllText(path));
        if (documents.Count != 1)
        {
            return null;
        }

        var config = documents[0].Object;
        var contextName = context ?? (string?)config["current-context"];
        var ctx = Named(config["contexts"], contextName)?["context"];
        var cluster = Named(config["clusters"], (string?)ctx?["cluster"])?["cluster"] as JsonObject;
        var user = Named(config["users"], (string?)ctx?["user"])?["user"] as JsonObject ?? [];
        if (cluster is null || (string?)cluster["server"] is not { } server || user.Any(p => !KnownUserFields.Contains(p.Key))
            || cluster.ContainsKey("proxy-url") || cluster.ContainsKey("tls-server-name"))
        {
            return null;
        }

        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var result = new KubernetesClientConfiguration
        {
            Host = server,
            Namespace = (string?)ctx?["namespace"],
            SkipTlsVerify = (bool?)cluster["insecure-skip-tls-verify"] ?? false,
            AccessToken = (string?)user["token"],
            Username = (string?)user["username"],
            Password = (string?)user["password"],
            ClientCertificateData = (string?)user["client-certificate-data"],
            ClientCertificateKeyData = (string?)user["client-key-data"],
            ClientCertificateFilePath = Resolve(dir, (string?)user["client-certificate"]),
            ClientKeyFilePath = Resolve(dir, (string?)user["client-key"]),
        };
        if (Ca(cluster, dir) is { } ca)
        {
            result.SslCaCerts = ca;
        }

        return result;
    }

    private static X509Certificate2Collection? Ca(JsonObject cluster, string dir)
    {
        var pem = (string?)cluster["certificate-authority-data"] is { } data
            ? Encoding.UTF8.GetString(Convert.FromBase64String(data))
            : Resolve(dir, (string?)cluster["certificate-authority"]) is { } file ? File.ReadAllText(file) : null;
        if (pem is null)
        {
            return null;
        }

        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPem(pem);
        return certificates;
    }

    private static JsonNode? Named(JsonNode? list, string? name) =>
        name is null ? null : (list as JsonArray ?? []).FirstOrDefault(e => (string?)e?["name"] == name);

    private static string? Resolve(string dir, string? file) => file is null ? null : Path.Combine(dir, file);
}
