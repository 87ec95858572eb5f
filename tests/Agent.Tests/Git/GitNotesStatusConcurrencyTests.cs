using GitOps.Agent.Git;
using GitOps.TestSupport.Git;

namespace GitOps.Agent.Tests.Git;

/// <summary>
/// Several agents, each with its own bare clone (as separate processes would have), reporting on the
/// same commit at the same moment: every entry must reach the note, over a local remote and over a
/// real HTTP server.
/// </summary>
public sealed class GitNotesStatusConcurrencyTests : IClassFixture<GitHttpServer>, IDisposable
{
    // With the default attempt budget (10): every lost race is another writer's win, so each of
    // W writers needs at most W attempts, plus a little for a lock that was busy too long.
    private const int Writers = 8;

    private readonly GitHttpServer server;
    private readonly string name = $"notes-{Guid.NewGuid():N}.git";
    private readonly RemoteRepository repo;
    private readonly TempFolder caches = new();

    public GitNotesStatusConcurrencyTests(GitHttpServer server)
    {
        this.server = server;
        repo = new RemoteRepository(server.PathOf(name));
    }

    public void Dispose()
    {
        repo.Dispose();
        caches.Dispose();
    }

    [Fact]
    public async Task Write_ConcurrentWritersOverFileUrl_EveryEntryReachesTheNote()
    {
        var sha = repo.Write("a.yaml", "a").Commit("one");

        await WriteConcurrently(new GitSourceSpec($"file://{repo.BarePath}", "main", string.Empty), sha);

        AssertEveryClusterInNote(sha);
    }

    [Fact]
    public async Task Write_ConcurrentWritersOverLocalPath_EveryEntryReachesTheNote()
    {
        var sha = repo.Write("a.yaml", "a").Commit("one");

        await WriteConcurrently(new GitSourceSpec(repo.BarePath, "main", string.Empty), sha);

        AssertEveryClusterInNote(sha);
    }

    [Fact]
    public async Task Write_ConcurrentWritersOverHttp_EveryEntryReachesTheNote()
    {
        var sha = repo.Write("a.yaml", "a").Commit("one");
        var spec = new GitSourceSpec(server.UrlOf(name), "main", string.Empty)
        {
            Credentials = new GitCredentials(server.SecretFile("user", GitHttpServer.User), server.SecretFile("token", GitHttpServer.Token)),
        };

        await WriteConcurrently(spec, sha);

        AssertEveryClusterInNote(sha);
    }

    [Fact]
    public async Task Write_SameEntryFromTwoAgentsInSequence_TheLastOneWins()
    {
        var sha = repo.Write("a.yaml", "a").Commit("one");
        var spec = new GitSourceSpec($"file://{repo.BarePath}", "main", string.Empty);

        // Two clones of one cluster (a restarted agent with a fresh cache): the second one's entry replaces the first's.
        await new GitNotesStatus(caches.Combine("first")).WriteAsync(spec, sha, StatusNoteTests.Entry("prod", phase: "Progressing"), CancellationToken.None);
        await new GitNotesStatus(caches.Combine("second")).WriteAsync(spec, sha, StatusNoteTests.Entry("prod", phase: "Synced"), CancellationToken.None);
        await new GitNotesStatus(caches.Combine("first")).WriteAsync(spec, sha, StatusNoteTests.Entry("prod", phase: "Failed", message: "Deployment/web: timed out"), CancellationToken.None);

        var note = repo.RemoteGit("notes", "--ref=gitops", "show", sha);
        Assert.Single(note.Split('\n'), line => line.StartsWith("prod/django: ", StringComparison.Ordinal));
        Assert.Contains("prod/django: Failed Healthy", note, StringComparison.Ordinal);
    }

    private async Task WriteConcurrently(GitSourceSpec spec, string sha)
    {
        using var start = new ManualResetEventSlim();
        var writers = Enumerable.Range(0, Writers)
            .Select(i => Task.Run(
                async () =>
                {
                    var agent = new GitNotesStatus(caches.Combine($"agent-{i}"));
                    start.Wait();
                    await agent.WriteAsync(spec, sha, StatusNoteTests.Entry($"cluster-{i}"), CancellationToken.None);
                }))
            .ToList();
        start.Set();
        await Task.WhenAll(writers);
    }

    private void AssertEveryClusterInNote(string sha)
    {
        var note = repo.RemoteGit("notes", "--ref=gitops", "show", sha);
        var clusters = note.Split('\n')
            .Where(line => line.StartsWith("cluster-", StringComparison.Ordinal))
            .Select(line => line[..line.IndexOf('/', StringComparison.Ordinal)])
            .Order(StringComparer.Ordinal);
        Assert.Equal(Enumerable.Range(0, Writers).Select(i => $"cluster-{i}").Order(StringComparer.Ordinal), clusters);

        // Nobody pushed over a ref it had not read: what each agent last saw of the notes ref (its
        // own commit, or a later one it verified against) is history of the remote's ref.
        foreach (var clone in Directory.EnumerateDirectories(caches.Path, "*", SearchOption.TopDirectoryOnly).SelectMany(Directory.EnumerateDirectories))
        {
            var seen = GitCli.Run(clone, "rev-parse", GitNotesStatus.NotesRef);
            repo.RemoteGit("merge-base", "--is-ancestor", seen, GitNotesStatus.NotesRef);
        }
    }
}
