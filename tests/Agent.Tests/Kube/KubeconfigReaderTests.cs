using GitOps.Agent.Kube;

namespace GitOps.Agent.Tests.Kube;

/// <summary>The fast kubeconfig path reads the common cases and hands everything else to KubernetesClient.</summary>
public sealed class KubeconfigReaderTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("kubeconfig").FullName;

    [Fact]
    public void TryRead_TokenAndInlineCa_ReadsServerTokenAndNamespace()
    {
        var path = Write("""
            apiVersion: v1
            kind: Config
            current-context: dev
            contexts:
            - name: dev
              context: {cluster: c, user: u, namespace: apps}
            clusters:
            - name: c
              cluster: {server: "https://10.0.0.1:6443", insecure-skip-tls-verify: true}
            users:
            - name: u
              user: {token: abc123}
            """);

        var config = KubeconfigReader.TryRead(path, context: null);

        Assert.NotNull(config);
        Assert.Equal("https://10.0.0.1:6443", config.Host);
        Assert.Equal("abc123", config.AccessToken);
        Assert.Equal("apps", config.Namespace);
        Assert.True(config.SkipTlsVerify);
    }

    [Fact]
    public void TryRead_OtherContextByName_UsesItsCluster()
    {
        var path = Write("""
            current-context: a
            contexts:
            - {name: a, context: {cluster: ca, user: u}}
            - {name: b, context: {cluster: cb, user: u}}
            clusters:
            - {name: ca, cluster: {server: "https://a"}}
            - {name: cb, cluster: {server: "https://b"}}
            users:
            - {name: u, user: {token: t}}
            """);

        Assert.Equal("https://b", KubeconfigReader.TryRead(path, "b")!.Host);
    }

    [Theory]
    [InlineData("exec: {command: aws, args: [eks, get-token]}")]
    [InlineData("auth-provider: {name: gcp}")]
    [InlineData("tokenFile: /var/run/token")]
    public void TryRead_PluginOrUnknownUserField_IsLeftToKubernetesClient(string user)
    {
        var userMapping = "{" + user + "}";
        var path = Write($$$"""
            current-context: x
            contexts: [{name: x, context: {cluster: c, user: u}}]
            clusters: [{name: c, cluster: {server: "https://c"}}]
            users:
            - name: u
              user: {{{userMapping}}}
            """);

        Assert.Null(KubeconfigReader.TryRead(path, context: null));
    }

    private string Write(string text)
    {
        var path = Path.Combine(dir, "config");
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);
}
