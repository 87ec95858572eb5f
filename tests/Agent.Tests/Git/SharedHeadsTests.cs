using System.Collections.Concurrent;
using GitOps.Agent.Git;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Agent.Tests.Git;

public sealed class SharedHeadsTests
{
    private static readonly GitSourceSpec App = new("https://git.example.com/r.git", "main", "apps/a");
    private static readonly GitSourceSpec Other = new("https://git.example.com/r.git", "main", "apps/b");
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero));
    private readonly CountingGit git = new();

    [Fact]
    public async Task HeadAsync_TwoFollowersOfOneBranchWithinTheWindow_OneLsRemote()
    {
        var heads = new SharedHeads(git, clock);

        var first = await heads.HeadAsync(App, clock.GetUtcNow(), CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(30));
        var second = await heads.HeadAsync(Other, clock.GetUtcNow() - TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Equal(first, second);
        Assert.Equal(1, git.Calls);
    }

    [Fact]
    public async Task HeadAsync_LookupOlderThanAsked_AsksAgain()
    {
        var heads = new SharedHeads(git, clock);
        await heads.HeadAsync(App, clock.GetUtcNow(), CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(5));
        git.Head = "b";

        var head = await heads.HeadAsync(Other, clock.GetUtcNow(), CancellationToken.None);

        Assert.Equal("b", head);
        Assert.Equal(2, git.Calls);
    }

    [Fact]
    public async Task HeadAsync_LookupInFlight_IsJoinedNotRepeated()
    {
        var heads = new SharedHeads(git, clock);
        git.Gate = new TaskCompletionSource();

        var first = heads.HeadAsync(App, clock.GetUtcNow(), CancellationToken.None);
        var second = heads.HeadAsync(Other, clock.GetUtcNow(), CancellationToken.None);
        git.Gate.SetResult();

        Assert.Equal(await first, await second);
        Assert.Equal(1, git.Calls);
    }

    [Fact]
    public async Task HeadAsync_CallerCancels_TheSharedLookupStillCompletesForOthers()
    {
        var heads = new SharedHeads(git, clock);
        git.Gate = new TaskCompletionSource();
        using var cancel = new CancellationTokenSource();

        var gaveUp = heads.HeadAsync(App, clock.GetUtcNow(), cancel.Token);
        var waits = heads.HeadAsync(Other, clock.GetUtcNow(), CancellationToken.None);
        await cancel.CancelAsync();
        git.Gate.SetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gaveUp);
        Assert.Equal("a", await waits);
    }

    [Fact]
    public async Task HeadAsync_BranchMoved_RaisesMovedWithTheLookupsStartButNotOnTheFirstLookup()
    {
        var heads = new SharedHeads(git, clock);
        var moves = new ConcurrentQueue<(string Reference, string? Head, DateTimeOffset At)>();
        heads.Moved += (_, reference, head, at) => moves.Enqueue((reference, head, at));

        await heads.HeadAsync(App, clock.GetUtcNow(), CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(10));
        await heads.HeadAsync(App, clock.GetUtcNow(), CancellationToken.None); // same head: no event
        clock.Advance(TimeSpan.FromSeconds(10));
        git.Head = "c";
        var at = clock.GetUtcNow();
        await heads.HeadAsync(App, at, CancellationToken.None);

        Assert.Equal(("main", (string?)"c", at), Assert.Single(moves));
    }

    [Fact]
    public async Task HeadAsync_RemoteDown_TheFailureIsSharedWithinTheWindowToo()
    {
        var heads = new SharedHeads(git, clock);
        git.Down = true;

        await Assert.ThrowsAsync<GitSourceException>(() => heads.HeadAsync(App, clock.GetUtcNow(), CancellationToken.None));
        await Assert.ThrowsAsync<GitSourceException>(() => heads.HeadAsync(Other, clock.GetUtcNow() - TimeSpan.FromMinutes(1), CancellationToken.None));

        Assert.Equal(1, git.Calls);
    }

    private sealed class CountingGit : IGitSource
    {
        private int calls;

        public string Head { get; set; } = "a";

        public bool Down { get; set; }

        public TaskCompletionSource? Gate { get; set; }

        public int Calls => Volatile.Read(ref calls);

        public Task<SourceRevision> GetRevisionAsync(GitSourceSpec spec, string? revision, CancellationToken ct) => throw new NotSupportedException();

        public async Task<string?> HeadAsync(GitSourceSpec spec, CancellationToken ct)
        {
            Interlocked.Increment(ref calls);
            if (Gate is { } gate)
            {
                await gate.Task;
            }

            return Down ? throw new GitSourceException("repository r: cannot connect") : Head;
        }
    }
}
