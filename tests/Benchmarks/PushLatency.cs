using System.Diagnostics;
using System.Globalization;
using GitOps.Agent.Git;
using GitOps.Agent.Hosting;
using GitOps.Agent.Hosting.Hooks;
using GitOps.Agent.Kube;
using GitOps.Agent.Sync.Forge;
using GitOps.TestSupport.Forge;
using GitOps.TestSupport.Git;

namespace GitOps.Benchmarks;

/// <summary>
/// `git push` → Synced note and → GitHub success status, the agent in-process on a real API
/// server, following a repository on the lighttpd + git-http-backend server over HTTP, posting
/// statuses to a local forge. <c>--mode webhook</c>: the server's post-receive hook posts a signed
/// GitHub push event, pushes 2 s apart. <c>--mode poll</c>: no receiver; each push comes at a
/// random offset within the interval, so the wait for the next poll is measured, not assumed.
/// Prints per push to stderr and appends one line to <c>--out FILE</c>:
/// <c>mode interval_s pushes note_p50_ms note_p95_ms status_p50_ms status_p95_ms</c>.
/// </summary>
internal static class PushLatency
{
    private const string Repository = "deploy.git";

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static async Task<int> RunAsync(string[] args)
    {
        var options = args.Chunk(2).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : string.Empty, StringComparer.Ordinal);
        var ns = options["--namespace"];
        var webhook = options.GetValueOrDefault("--mode", "webhook") == "webhook";
        var pushes = int.Parse(options.GetValueOrDefault("--pushes", "20"), CultureInfo.InvariantCulture);
        var interval = TimeSpan.FromSeconds(double.Parse(options.GetValueOrDefault("--interval", "60"), CultureInfo.InvariantCulture));
        var work = Directory.CreateTempSubdirectory("gitops-bench-push-").FullName;
        using var server = new GitHttpServer();
        await using var forge = await FakeForge.StartAsync(ForgeProvider.GitHub);
        BenchGit.Run(work, "init", "-q", "--bare", "-b", "main", server.PathOf(Repository));
        var repo = Directory.CreateDirectory(Path.Combine(work, "repo")).FullName;
        BenchGit.Run(repo, "init", "-q", "-b", "main");
        var pushUrl = server.UrlOf(Repository).Replace("http://", $"http://{GitHttpServer.User}:{GitHttpServer.Token}@", StringComparison.Ordinal);
        string Commit(int i)
        {
            File.WriteAllText(Path.Combine(repo, "a.yaml"), $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: {ns}\ndata:\n  k: \"{i}\"\n");
            BenchGit.Run(repo, "add", "-A");
            BenchGit.Run(repo, "commit", "-q", "-m", $"release {i}");
            return BenchGit.Run(repo, "rev-parse", "HEAD");
        }

        var first = Commit(0);
        BenchGit.Run(repo, "push", "-q", pushUrl, "HEAD:main");
        var config = Config(server, forge, ns, interval, webhook, work);
        using var host = AgentHost.Build(config, KubeApi.Connect(options.GetValueOrDefault("--kubeconfig")));
        await host.StartAsync();
        var bare = server.PathOf(Repository);
        await WaitAsync(() => Synced(bare, first), TimeSpan.FromSeconds(120), 200, Stopwatch.StartNew());
        if (webhook)
        {
            GitHubPushHook.Install(server, Repository, $"http://127.0.0.1:{config.Port}/hooks/github", config.Receivers[0].SecretFile);
        }

        var (notes, statuses) = (new List<long>(), new List<long>());
        for (var i = 1; i <= pushes; i++)
        {
            await Task.Delay(webhook ? TimeSpan.FromSeconds(2) : interval * Random.Shared.NextDouble());
            var sha = Commit(i);
            var clock = Stopwatch.StartNew();
            BenchGit.Run(repo, "push", "-q", pushUrl, "HEAD:main");
            var status = WaitAsync(() => forge.Posts.Any(p => p.Path.EndsWith(sha, StringComparison.Ordinal) && p.Field("state") == "success"), interval * 3, 10, clock);
            var note = WaitAsync(() => Synced(bare, sha), interval * 3, 50, clock); // a git process per look: not too often
            statuses.Add(await status);
            notes.Add(await note);
            await Console.Error.WriteLineAsync($"push-latency {(webhook ? "webhook" : "poll")} #{i}: note {notes[^1]} ms, status {statuses[^1]} ms");
        }

        await host.StopAsync();
        var line = string.Join(' ', webhook ? "webhook" : "poll", interval.TotalSeconds, pushes,
            BenchGit.Percentile(notes, 50), BenchGit.Percentile(notes, 95), BenchGit.Percentile(statuses, 50), BenchGit.Percentile(statuses, 95));
        await File.AppendAllTextAsync(options["--out"], line + "\n"); // stdout carries the agent's log
        Directory.Delete(work, recursive: true);
        return 0;
    }

    private static AgentConfig Config(GitHttpServer server, FakeForge forge, string ns, TimeSpan interval, bool webhook, string work)
    {
        var target = new TargetConfig("app", server.UrlOf(Repository), "main", ".")
        {
            Interval = interval,
            Prune = true,
            DefaultNamespace = ns,
            Credentials = new GitCredentials(server.SecretFile("user", GitHttpServer.User), server.SecretFile("token", GitHttpServer.Token)),
            CommitStatus = new CommitStatusConfig(ForgeProvider.GitHub, new Uri(forge.Url), "org/deploy", server.SecretFile("forge", "forge-token-bench")),
        };
        return new AgentConfig("bench", ns, [target])
        {
            Port = BenchGit.FreePort(),
            CacheDir = Path.Combine(work, "cache"),
            Identity = "bench",
            Receivers = webhook ? [new ReceiverConfig("github", ReceiverType.GitHub, server.SecretFile("hook", "whsec-bench"))] : [],
        };
    }

    private static bool Synced(string bare, string sha)
    {
        try
        {
            return BenchGit.Run(bare, "notes", "--ref=gitops", "show", sha).Contains(": Synced", StringComparison.Ordinal);
        }
        catch (InvalidOperationException)
        {
            return false; // no note yet
        }
    }

    /// <summary>Polls until <paramref name="done"/>; returns <paramref name="since"/>'s milliseconds at that moment.</summary>
    private static async Task<long> WaitAsync(Func<bool> done, TimeSpan timeout, int pollMs, Stopwatch since)
    {
        var clock = Stopwatch.StartNew();
        while (!done())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"not done within {timeout.TotalSeconds} s");
            }

            await Task.Delay(pollMs);
        }

        return since.ElapsedMilliseconds;
    }
}
