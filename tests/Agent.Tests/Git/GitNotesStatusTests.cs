using System.Runtime.Versioning;
using GitOps.Agent.Git;

namespace GitOps.Agent.Tests.Git;

public sealed class GitNotesStatusTests : IDisposable
{
    private readonly RemoteRepository repo = new();
    private readonly TempFolder caches = new();

    public void Dispose()
    {
        repo.Dispose();
        caches.Dispose();
    }

    [Fact]
    public async Task Write_TwoClustersOnOneCommit_KeepsBothAndGitLogShowsThem()
    {
        var sha = repo.Write("a.yaml", "a").Commit("one");

        await Agent("prod").WriteAsync(Spec(), sha, StatusNoteTests.Entry("prod"), CancellationToken.None);
        await Agent("staging").WriteAsync(Spec(), sha, StatusNoteTests.Entry("staging", phase: "Failed", message: "Deployment/web: timed out"), CancellationToken.None);

        var log = repo.RemoteGit("log", "--notes=gitops", "-1", "main");
        Assert.Contains("Notes (gitops):", log, StringComparison.Ordinal);
        Assert.Contains("    prod/django: Synced Healthy 2026-11-26T14:00:00Z created=3 configured=2 unchanged=10 pruned=1\n", log, StringComparison.Ordinal);
        Assert.Contains("    staging/django: Failed Healthy 2026-11-26T14:00:00Z created=3 configured=2 unchanged=10 pruned=1 - Deployment/web: timed out", log, StringComparison.Ordinal);

        var status = Assert.Single(await Agent("reader").ReadStatusAsync(Spec(), "main", 10, CancellationToken.None));
        Assert.Equal(["prod", "staging"], status.Entries.Select(e => e.Cluster));
    }

    [Fact]
    public async Task Write_SameClusterAndTargetAgain_ReplacesItsEntry()
    {
        var sha = repo.Write("a.yaml", "a").Commit("one");
        var prod = Agent("prod");

        await prod.WriteAsync(Spec(), sha, StatusNoteTests.Entry(phase: "Progressing"), CancellationToken.None);
        await prod.WriteAsync(Spec(), sha, StatusNoteTests.Entry(phase: "Synced"), CancellationToken.None);

        var entry = Assert.Single(Assert.Single(await prod.ReadStatusAsync(Spec(), "main", 1, CancellationToken.None)).Entries);
        Assert.Equal("Synced", entry.Phase);
    }

    [Fact]
    public async Task Write_UnchangedEntry_PushesNothing()
    {
        var sha = repo.Write("a.yaml", "a").Commit("one");
        var prod = Agent("prod");
        await prod.WriteAsync(Spec(), sha, StatusNoteTests.Entry(), CancellationToken.None);

        var before = repo.RemoteGit("rev-parse", GitNotesStatus.NotesRef);

        await prod.WriteAsync(Spec(), sha, StatusNoteTests.Entry(), CancellationToken.None);

        Assert.Equal(before, repo.RemoteGit("rev-parse", GitNotesStatus.NotesRef));
    }

    [Fact]
    public async Task Write_AnotherAgentPushedFirst_RetriesOnTopOfItsNote()
    {
        var sha = repo.Write("a.yaml", "a").Commit("one");
        var prod = Agent("prod");
        var staging = Agent("staging");
        var pushes = 0;
        prod.BeforePush = () =>
        {
            // The race: staging's note lands between prod's fetch and prod's push.
            if (++pushes == 1)
            {
                staging.WriteAsync(Spec(), sha, StatusNoteTests.Entry("staging"), CancellationToken.None).GetAwaiter().GetResult();
            }
        };

        await prod.WriteAsync(Spec(), sha, StatusNoteTests.Entry("prod"), CancellationToken.None);

        Assert.Equal(2, pushes);
        var status = Assert.Single(await Agent("reader").ReadStatusAsync(Spec(), "main", 1, CancellationToken.None));
        Assert.Equal(["prod", "staging"], status.Entries.Select(e => e.Cluster));
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task Write_AnotherAgentPushedFirstOverSsh_RefusesToPushOverItAndRetries()
    {
        var sha = repo.Write("a.yaml", "a").Commit("one");
        var prod = SshAgent("prod");
        var pushes = 0;
        prod.BeforePush = () =>
        {
            // The remote moves after prod read it: the swap must see that the advertised value is
            // not the one prod's note is based on, and refuse instead of pushing a stale parent.
            if (++pushes == 1)
            {
                Agent("staging").WriteAsync(Spec(), sha, StatusNoteTests.Entry("staging"), CancellationToken.None).GetAwaiter().GetResult();
            }
        };

        await prod.WriteAsync(SshSpec(), sha, StatusNoteTests.Entry("prod"), CancellationToken.None);

        Assert.Equal(2, pushes);
        var note = repo.RemoteGit("notes", "--ref=gitops", "show", sha);
        Assert.Contains("prod/django: Synced", note, StringComparison.Ordinal);
        Assert.Contains("staging/django: Synced", note, StringComparison.Ordinal);
        Assert.Equal("2", repo.RemoteGit("rev-list", "--count", GitNotesStatus.NotesRef));
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task Write_ServerRejectsThePush_RetriesThroughPushStatusError()
    {
        var sha = repo.Write("a.yaml", "a").Commit("one");
        // A server-side refusal (here: the first push only) arrives through OnPushStatusError, not as an exception.
        FakeSsh.Hook(repo.BarePath, "pre-receive", "[ -f \"$GIT_DIR/declined-once\" ] && exit 0\ntouch \"$GIT_DIR/declined-once\"\necho busy >&2\nexit 1");
        var prod = SshAgent("prod");

        await prod.WriteAsync(SshSpec(), sha, StatusNoteTests.Entry("prod"), CancellationToken.None);

        Assert.True(File.Exists(Path.Combine(repo.BarePath, "declined-once")));
        Assert.Contains("prod/django: Synced", repo.RemoteGit("notes", "--ref=gitops", "show", sha), StringComparison.Ordinal);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task Write_ServerKeepsRejecting_FailsAfterTheAttemptBudget()
    {
        var sha = repo.Write("a.yaml", "a").Commit("one");
        FakeSsh.Hook(repo.BarePath, "pre-receive", "echo read-only >&2\nexit 1");
        var prod = SshAgent("prod", new GitOptions { MaxPushAttempts = 2, SshCommand = FakeSsh.Create(caches.Path) });

        var ex = await Assert.ThrowsAsync<GitSourceException>(() => prod.WriteAsync(SshSpec(), sha, StatusNoteTests.Entry("prod"), CancellationToken.None));

        Assert.Contains("rejected 2 times", ex.Message, StringComparison.Ordinal);
        Assert.Contains(sha[..7], ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadStatus_ReturnsLastCommitsNewestFirstWithTheirEntries()
    {
        var first = repo.Write("a.yaml", "1").Commit("first");
        var second = repo.Write("a.yaml", "2").Commit("second");
        var third = repo.Write("a.yaml", "3").Commit("third");
        var prod = Agent("prod");
        await prod.WriteAsync(Spec(), first, StatusNoteTests.Entry(phase: "Synced"), CancellationToken.None);
        await prod.WriteAsync(Spec(), third, StatusNoteTests.Entry(phase: "Failed"), CancellationToken.None);

        var statuses = await Agent("reader").ReadStatusAsync(Spec(), "main", 2, CancellationToken.None);

        Assert.Equal([third, second], statuses.Select(s => s.CommitSha));
        Assert.Equal("third", statuses[0].Subject);
        Assert.Equal("Failed", Assert.Single(statuses[0].Entries).Phase);
        Assert.Empty(statuses[1].Entries);
    }

    [Fact]
    public async Task ReadStatus_NotesRefDeletedOnRemote_ShowsNoStaleEntries()
    {
        var sha = repo.Write("a.yaml", "a").Commit("one");
        var prod = Agent("prod");
        await prod.WriteAsync(Spec(), sha, StatusNoteTests.Entry(), CancellationToken.None);
        repo.RemoteGit("update-ref", "-d", GitNotesStatus.NotesRef);

        var status = Assert.Single(await prod.ReadStatusAsync(Spec(), "main", 5, CancellationToken.None));

        Assert.Empty(status.Entries);
    }

    [Fact]
    public async Task ReadStatus_UnknownBranch_Fails()
    {
        repo.Write("a.yaml", "a").Commit("one");

        var ex = await Assert.ThrowsAsync<GitSourceException>(() => Agent("reader").ReadStatusAsync(Spec(), "nope", 5, CancellationToken.None));

        Assert.Contains("'nope' not found", ex.Message, StringComparison.Ordinal);
    }

    private GitNotesStatus Agent(string cluster) => new(caches.Combine(cluster));

    [UnsupportedOSPlatform("windows")]
    private GitNotesStatus SshAgent(string cluster, GitOptions? options = null) =>
        new(caches.Combine(cluster), options ?? new GitOptions { SshCommand = FakeSsh.Create(caches.Path) });

    private GitSourceSpec Spec() => new(repo.BarePath, "main", string.Empty);

    private GitSourceSpec SshSpec() => new(FakeSsh.UrlOf(repo.BarePath), "main", string.Empty);
}
