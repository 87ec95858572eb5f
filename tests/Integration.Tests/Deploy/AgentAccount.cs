using System.Text;
using GitOps.Agent.Kube;

namespace GitOps.Integration.Tests.Deploy;

/// <summary>
/// The agent's ServiceAccount from deploy/serviceaccount.yaml, installed for real together with
/// one RBAC variant from deploy/rbac/, and a kubeconfig that authenticates with the account's own
/// token, so kubectl shows what the agent may and may not do. Disposing removes what was applied.
/// </summary>
internal sealed class AgentAccount : IAsyncDisposable
{
    /// <summary>The user name the API server gives the ServiceAccount (RBAC subjects match it).</summary>
    public const string User = "system:serviceaccount:gitops-system:gitops-agent";

    private const string ServiceAccountPath = "/api/v1/namespaces/gitops-system/serviceaccounts/gitops-agent";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly ClusterFixture cluster;
    private readonly string[] applied;
    private readonly string folder = Path.Combine(Path.GetTempPath(), ClusterFixture.UniqueName("agent"));

    private AgentAccount(ClusterFixture cluster, string[] applied)
    {
        this.cluster = cluster;
        this.applied = applied;
        Directory.CreateDirectory(folder);
        Kubeconfig = Path.Combine(folder, "kubeconfig");
    }

    /// <summary>A kubeconfig holding the ServiceAccount's token and the test server's address and CA.</summary>
    public string Kubeconfig { get; }

    /// <summary>The ServiceAccount's token, as a Pod would find it mounted.</summary>
    public string Token { get; private set; } = string.Empty;

    /// <summary>The API server's address and CA (base64 PEM), taken from the test kubeconfig.</summary>
    public (Uri Server, string CaData) Endpoint { get; private set; }

    /// <summary>Applies deploy/serviceaccount.yaml and deploy/rbac/<paramref name="variant"/>/, then logs in as the account.</summary>
    public static async Task<AgentAccount> InstallAsync(ClusterFixture cluster, string variant)
    {
        var account = new AgentAccount(cluster, [DeployFolder.PathOf("serviceaccount.yaml"), DeployFolder.PathOf($"rbac/{variant}")]);
        try
        {
            account.Admin(["apply", "--server-side", .. account.applied.SelectMany(f => new[] { "-f", f })]);
            var token = await account.TokenAsync();
            account.Token = token;
            account.WriteKubeconfig(token);

            // Both variants let the agent renew its Lease; once that answers yes, the token is accepted
            // and the authorizer has seen the new bindings, so every later answer is the settled one.
            await WaitUntilAsync(() => account.CanI("get", "leases/gitops-agent", "gitops-system"), "the agent's token and RBAC to take effect");
            return account;
        }
        catch
        {
            await account.DisposeAsync(); // the caller never gets the account to dispose
            throw;
        }
    }

    /// <summary>kubectl as the agent; the caller judges the exit code and output.</summary>
    public ProcessResult Kubectl(params string[] args) =>
        Processes.Exec(Processes.Kubectl, folder, null, ["--kubeconfig", Kubeconfig, .. args]);

    /// <summary><c>kubectl auth can-i</c> as the agent (exit code 0 means yes).</summary>
    public bool CanI(string verb, string resource, string? ns = null) =>
        Kubectl(["auth", "can-i", verb, resource, .. ns is null ? Array.Empty<string>() : ["-n", ns]]).ExitCode == 0;

    /// <summary>Writes a file beside the kubeconfig (a manifest for <c>kubectl -f</c>) and returns its path.</summary>
    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        Admin(["delete", "--ignore-not-found", "--wait=false", .. applied.SelectMany(f => new[] { "-f", f })]);

        // The next test may check what the agent is refused; let the authorizer forget these bindings first.
        await WaitUntilAsync(
            () => Processes.Exec(Processes.Kubectl, folder, null, "--kubeconfig", cluster.Kubeconfig, "auth", "can-i", "get", "leases/gitops-agent", "-n", "gitops-system", "--as", User).ExitCode != 0,
            "the agent's RBAC to be removed");
        Directory.Delete(folder, recursive: true);
    }

    private string Admin(params string[] args) =>
        Processes.Run(Processes.Kubectl, folder, null, ["--kubeconfig", cluster.Kubeconfig, .. args]);

    /// <summary>
    /// The token Kubernetes v1.20 puts in a Secret for every ServiceAccount (the token controller
    /// of kube-controller-manager writes it shortly after the account is created).
    /// </summary>
    private async Task<string> TokenAsync()
    {
        using var api = cluster.Connect();
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            var account = await api.GetAsync(ServiceAccountPath, CancellationToken.None);
            if ((string?)account?["secrets"]?[0]?["name"] is { } secretName)
            {
                var secret = await api.GetAsync($"/api/v1/namespaces/gitops-system/secrets/{secretName}", CancellationToken.None);
                if ((string?)secret?["data"]?["token"] is { Length: > 0 } token)
                {
                    return Encoding.UTF8.GetString(Convert.FromBase64String(token));
                }
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"No token Secret for {User} after {Patience.TotalSeconds:0}s; is kube-controller-manager running with --service-account-private-key-file?");
    }

    private void WriteKubeconfig(string token)
    {
        string Cluster(string field) =>
            Admin("config", "view", "--raw", "--minify", "--flatten", "-o", $"jsonpath={{.clusters[0].cluster.{field}}}").Trim();

        var server = Cluster("server");
        var ca = Cluster("certificate-authority-data");
        Endpoint = (new Uri(server), ca);
        if (ca.Length == 0)
        {
            throw new InvalidOperationException($"The test kubeconfig {cluster.Kubeconfig} names no certificate authority for {server}.");
        }

        // Owner-only from the start: the file holds a live token.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(Kubeconfig, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), options);
        writer.Write($"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: test
              cluster:
                server: {server}
                certificate-authority-data: {ca}
            users:
            - name: gitops-agent
              user:
                token: {token}
            contexts:
            - name: gitops-agent
              context: {"{"}cluster: test, user: gitops-agent{"}"}
            current-context: gitops-agent
            """);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Gave up waiting for {what} after {Patience.TotalSeconds:0}s.");
            }

            await Task.Delay(200);
        }
    }
}
