using System.Diagnostics;
using System.Text;
using GitOps.Agent.Git;
using Xunit.Abstractions;

namespace GitOps.Integration.Tests.Deploy;

/// <summary>Tests that install the fixed-name gitops-agent account run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class AgentAccountCollection
{
    public const string Name = "gitops-agent account";
}

/// <summary>
/// The agent as a Pod runs it: the real `gitops agent` process, no kubeconfig, the ServiceAccount's
/// token and CA at the in-cluster paths, RBAC from deploy/. It syncs example-repo with the
/// cluster-wide variant, is refused outside its namespaces with the least-privilege one, and
/// stops promptly on SIGTERM.
/// </summary>
[Collection(AgentAccountCollection.Name)]
public sealed class InClusterAgentTests(ClusterFixture cluster, DeployNamespaces namespaces, ITestOutputHelper output)
    : IClassFixture<ClusterFixture>, IClassFixture<DeployNamespaces>
{
    private const string ServiceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount";

    [Fact]
    public async Task InCluster_ClusterWideAccount_SyncsExampleRepoAndStopsOnSigterm()
    {
        await using var account = await AgentAccount.InstallAsync(cluster, "cluster-wide");
        using var repo = new AgentRepo();
        CopyDirectory(DeployFolder.RepositoryPath("example-repo/base"), repo.Work.Root); // the base: a Kustomize folder of 16 objects
        var commit = repo.CommitAndPush("Django on Kubernetes");
        using var mounted = MountServiceAccount(account);
        using var agent = AgentProcess.Start(account, repo, namespaces.Agent, "django", output);
        try
        {
            var entry = await repo.WaitForStatusAsync(commit, TimeSpan.FromSeconds(60));
            Assert.True(entry.Phase == "Synced", $"{entry.Phase}: {entry.Message}");
            Assert.Equal(15, entry.Counts.Values.Sum()); // the migrate Job is a Sync hook (wave 1), not a member

            var stopped = agent.Terminate(TimeSpan.FromSeconds(20));
            output.WriteLine($"SIGTERM to exit: {stopped.TotalMilliseconds:0} ms");
            Assert.Equal(0, agent.ExitCode);
        }
        finally
        {
            // Remove what the agent made, by its ApplySet label; the namespace belongs to the fixture.
            var id = GitOps.Agent.Sync.ApplySetInventory.IdFor("gitops-django", namespaces.Agent);
            Admin(repo, "delete", "--ignore-not-found", "--wait=false", "-n", namespaces.Managed, "-l", $"applyset.kubernetes.io/part-of={id}",
                "configmap,secret,service,deployment,statefulset,job,ingress,hpa,pdb,networkpolicy,resourcequota,limitrange,databasebackups.django.example.com");
            Admin(repo, "delete", "--ignore-not-found", "--wait=false", "crd", "databasebackups.django.example.com");
            Admin(repo, "delete", "--ignore-not-found", "--wait=false", "-n", namespaces.Agent, "configmap", "gitops-django");
        }
    }

    private void Admin(AgentRepo repo, params string[] args) =>
        Processes.Exec(Processes.Kubectl, repo.Work.Root, null, ["--kubeconfig", cluster.Kubeconfig, .. args]);

    [Fact]
    public async Task InCluster_LeastPrivilegeAccount_IsRefusedOutsideItsNamespaces()
    {
        await using var account = await AgentAccount.InstallAsync(cluster, "namespaced");
        using var repo = new AgentRepo();
        repo.Work.Write("inside.yaml", Yaml.ConfigMap(namespaces.Managed, "gitops-rbac-inside", ("k", "1")))
            .Write("outside.yaml", Yaml.ConfigMap("default", "gitops-rbac-outside", ("k", "1")));
        var commit = repo.CommitAndPush("one object outside the allowed namespaces");
        using var mounted = MountServiceAccount(account);
        using var agent = AgentProcess.Start(account, repo, namespaces.Agent, "app", output);

        var entry = await repo.WaitForStatusAsync(commit, TimeSpan.FromSeconds(60));

        Assert.Equal("Failed", entry.Phase);
        Assert.Contains("forbidden", entry.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("default", entry.Message, StringComparison.Ordinal);
        var inside = Processes.Exec(Processes.Kubectl, repo.Work.Root, null, "--kubeconfig", cluster.Kubeconfig, "get", "configmap", "-n", namespaces.Managed, "gitops-rbac-inside");
        Assert.NotEqual(0, inside.ExitCode); // nothing of the revision was applied
        agent.Terminate(TimeSpan.FromSeconds(20));
        Admin(repo, "delete", "--ignore-not-found", "-n", namespaces.Agent, "configmap", "gitops-app");
    }

    /// <summary>Puts token, CA and namespace where a Pod has them; removes them afterwards.</summary>
    private static Mounted MountServiceAccount(AgentAccount account)
    {
        if (Directory.Exists(ServiceAccountDir))
        {
            throw new InvalidOperationException($"{ServiceAccountDir} exists already; this test must own it (is this machine a Pod?)");
        }

        Directory.CreateDirectory(ServiceAccountDir);
        File.WriteAllText(Path.Combine(ServiceAccountDir, "token"), account.Token);
        File.WriteAllBytes(Path.Combine(ServiceAccountDir, "ca.crt"), Convert.FromBase64String(account.Endpoint.CaData));
        File.WriteAllText(Path.Combine(ServiceAccountDir, "namespace"), "gitops-system");
        return new Mounted();
    }

    private sealed class Mounted : IDisposable
    {
        public void Dispose() => Directory.Delete(ServiceAccountDir, recursive: true);
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>A working repository and the bare "remote" the agent follows and reports to.</summary>
    private sealed class AgentRepo : IDisposable
    {
        public AgentRepo()
        {
            Remote = Path.Combine(Path.GetTempPath(), ClusterFixture.UniqueName("remote")) + ".git";
            Processes.Run("git", Path.GetTempPath(), null, "init", "-q", "--bare", "-b", "main", Remote);
            Work.Git("remote", "add", "origin", Remote);
        }

        public TestRepo Work { get; } = new();

        public string Remote { get; }

        public string CommitAndPush(string message)
        {
            var sha = Work.Commit(message);
            Work.Git("push", "-q", "origin", "HEAD:main");
            return sha;
        }

        public async Task<CommitStatusEntry> WaitForStatusAsync(string commit, TimeSpan timeout)
        {
            var store = new GitNotesStatus(Path.Combine(Work.Root, ".reader"));
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                var statuses = await store.ReadStatusAsync(new GitSourceSpec(Remote, "main", "."), "main", 5, CancellationToken.None);
                if (statuses.FirstOrDefault(s => s.CommitSha == commit)?.Entries.FirstOrDefault(e => e.Phase is "Synced" or "Failed") is { } entry)
                {
                    return entry;
                }

                await Task.Delay(300);
            }

            throw new TimeoutException($"no final status on {commit[..7]} within {timeout.TotalSeconds}s");
        }

        public void Dispose()
        {
            Work.Dispose();
            Directory.Delete(Remote, recursive: true);
        }
    }

    /// <summary>`gitops agent` as a child process with the in-cluster environment and no kubeconfig.</summary>
    private sealed class AgentProcess : IDisposable
    {
        private readonly Process process;
        private readonly string folder = Path.Combine(Path.GetTempPath(), ClusterFixture.UniqueName("incluster"));

        private AgentProcess(AgentAccount account, AgentRepo repo, string ns, string target, ITestOutputHelper output)
        {
            Directory.CreateDirectory(folder);
            var config = Path.Combine(folder, "config.yaml");
            File.WriteAllText(config, $"""
                cluster: in-cluster-test
                namespace: {ns}
                port: {Ports.Free()}
                cacheDir: {Path.Combine(folder, "cache")}
                targets:
                - name: {target}
                  repository: {repo.Remote}
                  branch: main
                  path: .
                  interval: 5s
                  prune: true
                  defaultNamespace: django-demo
                """);
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "gitops.dll"));
            start.ArgumentList.Add("agent");
            start.ArgumentList.Add("--config");
            start.ArgumentList.Add(config);
            start.Environment.Remove("KUBECONFIG");
            start.Environment.Remove(ClusterFixture.Variable);
            start.Environment["KUBERNETES_SERVICE_HOST"] = account.Endpoint.Server.Host;
            start.Environment["KUBERNETES_SERVICE_PORT"] = account.Endpoint.Server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            start.Environment["POD_NAME"] = "gitops-agent-test-0";
            process = Process.Start(start)!;
            process.OutputDataReceived += (_, e) => Log(output, e.Data);
            process.ErrorDataReceived += (_, e) => Log(output, e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public int ExitCode => process.ExitCode;

        public static AgentProcess Start(AgentAccount account, AgentRepo repo, string ns, string target, ITestOutputHelper output) =>
            new(account, repo, ns, target, output);

        /// <summary>SIGTERM, as the kubelet sends it; returns how long the agent took to exit.</summary>
        public TimeSpan Terminate(TimeSpan grace)
        {
            var clock = Stopwatch.StartNew();
            Processes.Run("kill", folder, null, "-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (!process.WaitForExit(grace))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"the agent did not exit within {grace.TotalSeconds:0}s of SIGTERM");
            }

            return clock.Elapsed;
        }

        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
            Directory.Delete(folder, recursive: true);
        }

        private static void Log(ITestOutputHelper output, string? line)
        {
            if (line is not null)
            {
                try
                {
                    output.WriteLine(line);
                }
                catch (InvalidOperationException)
                {
                    // the test has finished; late lines from a stopping process are dropped
                }
            }
        }

    }
}
