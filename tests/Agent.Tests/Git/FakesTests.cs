using GitOps.Agent.Git;

namespace GitOps.Agent.Tests.Git;

/// <summary>The fakes keep the contracts of the real seams they stand in for.</summary>
public sealed class FakesTests
{
    [Fact]
    public async Task FakeGitSource_RevisionOverridesReference_AndUnknownFailsLikeTheRealOne()
    {
        var revision = new SourceRevision(new string('a', 40), "refs/heads/main", [], "msg");
        var source = new FakeGitSource().Add("main", revision);
        var spec = new GitSourceSpec("repo", "nope", "deploy");

        Assert.Same(revision, await source.GetRevisionAsync(spec, "main", CancellationToken.None));
        await Assert.ThrowsAsync<GitSourceException>(() => source.GetRevisionAsync(spec, null, CancellationToken.None));
        Assert.Equal(2, source.Requests.Count);
    }

    [Fact]
    public async Task FakeCommitStatusStore_ReplacesOnlyTheSameClusterAndTarget()
    {
        var store = new FakeCommitStatusStore();
        var sha = new string('b', 40);
        store.Branches["main"] = [sha];
        var spec = new GitSourceSpec("repo", "main", string.Empty);

        await store.WriteAsync(spec, sha, StatusNoteTests.Entry("prod", phase: "Progressing"), CancellationToken.None);
        await store.WriteAsync(spec, sha, StatusNoteTests.Entry("prod", phase: "Synced"), CancellationToken.None);
        await store.WriteAsync(spec, sha, StatusNoteTests.Entry("staging"), CancellationToken.None);

        var status = Assert.Single(await store.ReadStatusAsync(spec, "main", 5, CancellationToken.None));
        Assert.Equal(["prod:Synced", "staging:Synced"], status.Entries.Select(e => $"{e.Cluster}:{e.Phase}"));
    }
}
