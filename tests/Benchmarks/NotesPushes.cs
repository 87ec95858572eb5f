using System.Diagnostics;
using System.Globalization;
using GitOps.Agent.Git;
using GitOps.TestSupport.Git;

namespace GitOps.Benchmarks;

/// <summary>
/// Pushes of refs/notes/gitops for one round of passes of N targets of one repository: each target
/// writes what a pass writes (Progressing, then Synced) on the same commit, all at once, through
/// the agent's notes store with batching (<see cref="NoteBatcher"/>, as the agent composes it) or
/// without (<see cref="GitNotesStatus"/> alone, one push per entry: the agent before batching). The
/// remote is the lighttpd + git-http-backend server; its post-receive hook counts the notes ref's updates.
/// Prints <c>batching targets pushes seconds</c>.
/// </summary>
internal static class NotesPushes
{
    private const string Repository = "deploy.git";

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static async Task<int> RunAsync(string[] args)
    {
        var options = args.Chunk(2).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : string.Empty, StringComparer.Ordinal);
        var targets = int.Parse(options.GetValueOrDefault("--targets", "1000"), CultureInfo.InvariantCulture);
        var batching = options.GetValueOrDefault("--batching", "on") == "on";
        var work = Directory.CreateTempSubdirectory("gitops-bench-notes-").FullName;
        using var server = new GitHttpServer();
        var bare = server.PathOf(Repository);
        BenchGit.Run(work, "init", "-q", "--bare", "-b", "main", bare);
        var counted = Path.Combine(work, "notes-pushes.log");
        server.InstallHook(Repository, "post-receive", $$"""
            #!/bin/sh
            while read -r old new ref; do [ "$ref" = refs/notes/gitops ] && echo "$new" >> '{{counted}}'; done; exit 0
            """);
        var repo = Directory.CreateDirectory(Path.Combine(work, "repo")).FullName;
        BenchGit.Run(repo, "init", "-q", "-b", "main");
        File.WriteAllText(Path.Combine(repo, "a.yaml"), "a: 1\n");
        BenchGit.Run(repo, "add", "-A");
        BenchGit.Run(repo, "commit", "-q", "-m", "one");
        var sha = BenchGit.Run(repo, "rev-parse", "HEAD");
        BenchGit.Run(repo, "push", "-q", server.UrlOf(Repository).Replace("http://", $"http://{GitHttpServer.User}:{GitHttpServer.Token}@", StringComparison.Ordinal), "HEAD:main");

        var spec = new GitSourceSpec(server.UrlOf(Repository), "main", ".")
        {
            Credentials = new GitCredentials(server.SecretFile("user", GitHttpServer.User), server.SecretFile("token", GitHttpServer.Token)),
        };
        var plain = new GitNotesStatus(Path.Combine(work, "cache"));
        ICommitStatusStore store = batching ? new NoteBatcher(plain) : plain;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, targets).Select(i => Task.Run(async () =>
        {
            await store.WriteAsync(spec, sha, Entry($"t{i:0000}", "Progressing"), CancellationToken.None);
            await store.WriteAsync(spec, sha, Entry($"t{i:0000}", "Synced"), CancellationToken.None);
        })));
        var seconds = clock.Elapsed.TotalSeconds;

        var pushes = File.ReadAllLines(counted).Length;
        var note = BenchGit.Run(bare, "notes", "--ref=gitops", "show", sha);
        var synced = Enumerable.Range(0, targets).Count(i => note.Contains($"bench/t{i:0000}: Synced", StringComparison.Ordinal));
        if (synced != targets)
        {
            throw new InvalidOperationException($"only {synced} of {targets} entries reached the note");
        }

        Console.WriteLine(string.Join(' ', batching ? "on" : "off", targets, pushes, seconds.ToString("0.0", CultureInfo.InvariantCulture)));
        Directory.Delete(work, recursive: true);
        return 0;
    }

    private static CommitStatusEntry Entry(string target, string phase) =>
        new("bench", target, phase, phase == "Synced" ? "Healthy" : "Progressing", DateTimeOffset.UtcNow, new Dictionary<string, int> { ["unchanged"] = 1 }, null, "bench");
}
