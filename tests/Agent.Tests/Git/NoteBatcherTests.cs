using GitOps.Agent.Git;

namespace GitOps.Agent.Tests.Git;

/// <summary>Many targets of one repository reporting at once: one notes commit and one push per flush, every entry kept.</summary>
public sealed class NoteBatcherTests : IDisposable
{
    private const int Targets = 100;
    private readonly RemoteRepository repo = new();
    private readonly TempFolder cache = new();

    public void Dispose()
    {
        repo.Dispose();
        cache.Dispose();
    }

    [Fact]
    public async Task Write_HundredTargetsAtOnce_FewPushesAndEveryEntryInTheNotes()
    {
        var first = repo.Write("a.yaml", "a").Commit("one");
        var second = repo.Write("a.yaml", "b").Commit("two");
        var pushes = 0;
        var store = new GitNotesStatus(cache.Combine("batched")) { AfterPush = () => Interlocked.Increment(ref pushes) };
        var batcher = new NoteBatcher(store);
        var spec = new GitSourceSpec(repo.BarePath, "main", string.Empty);

        await Task.WhenAll(Enumerable.Range(0, Targets).Select(i =>
            batcher.WriteAsync(spec, i % 2 == 0 ? first : second, StatusNoteTests.Entry("prod", $"t{i:000}"), CancellationToken.None)));

        Assert.InRange(pushes, 1, 3); // one flush takes what is waiting; the rest waits at most one interval
        var notes = repo.RemoteGit("notes", "--ref=gitops", "show", first) + repo.RemoteGit("notes", "--ref=gitops", "show", second);
        Assert.All(Enumerable.Range(0, Targets), i => Assert.Contains($"prod/t{i:000}: Synced", notes, StringComparison.Ordinal));
        Assert.Equal(pushes.ToString(System.Globalization.CultureInfo.InvariantCulture), repo.RemoteGit("rev-list", "--count", GitNotesStatus.NotesRef).Trim());
    }

    [Fact]
    public async Task Write_WithoutBatching_PushesOncePerEntry()
    {
        var sha = repo.Write("a.yaml", "a").Commit("one");
        var pushes = 0;
        var store = new GitNotesStatus(cache.Combine("plain")) { AfterPush = () => Interlocked.Increment(ref pushes) };
        var spec = new GitSourceSpec(repo.BarePath, "main", string.Empty);

        for (var i = 0; i < 10; i++)
        {
            await store.WriteAsync(spec, sha, StatusNoteTests.Entry("prod", $"t{i}"), CancellationToken.None);
        }

        Assert.Equal(10, pushes); // what the batcher saves: measured beside it, same repository layout
    }

    [Fact]
    public async Task Write_SameTargetTwiceInOneFlush_TheLaterWins()
    {
        var sha = repo.Write("a.yaml", "a").Commit("one");
        var batcher = new NoteBatcher(new GitNotesStatus(cache.Combine("twice")));
        var spec = new GitSourceSpec(repo.BarePath, "main", string.Empty);

        await Task.WhenAll(
            batcher.WriteAsync(spec, sha, StatusNoteTests.Entry("prod", "app", phase: "Progressing"), CancellationToken.None),
            batcher.WriteAsync(spec, sha, StatusNoteTests.Entry("prod", "app", phase: "Synced"), CancellationToken.None));

        var note = repo.RemoteGit("notes", "--ref=gitops", "show", sha);
        Assert.Contains("prod/app: Synced", note, StringComparison.Ordinal);
        Assert.DoesNotContain("Progressing", note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_BadEntry_FailsOnlyItsCaller()
    {
        var sha = repo.Write("a.yaml", "a").Commit("one");
        var batcher = new NoteBatcher(new GitNotesStatus(cache.Combine("bad")));
        var spec = new GitSourceSpec(repo.BarePath, "main", string.Empty);

        await Assert.ThrowsAsync<ArgumentException>(() => batcher.WriteAsync(spec, sha, StatusNoteTests.Entry("has space"), CancellationToken.None));
        await batcher.WriteAsync(spec, sha, StatusNoteTests.Entry("prod"), CancellationToken.None);

        Assert.Contains("prod/django: Synced", repo.RemoteGit("notes", "--ref=gitops", "show", sha), StringComparison.Ordinal);
    }
}
