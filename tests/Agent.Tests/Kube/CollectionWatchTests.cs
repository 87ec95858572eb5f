using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using GitOps.Agent.Kube;
using GitOps.Agent.Kube.Live;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Agent.Tests.Kube;

/// <summary>
/// A watch whose server goes away lives on: it tries again after 2 s, doubling to at most 30 s,
/// and says so once per streak of failures (the agent logs that once), on a fake clock.
/// </summary>
public sealed class CollectionWatchTests
{
    private static readonly ApiResource ConfigMaps = new("", "v1", "ConfigMap", "configmaps", Namespaced: true);
    private readonly FakeTimeProvider clock = new();
    private readonly ConcurrentQueue<string> told = new();

    [Fact]
    public async Task Run_ServerAwayThenBackThenAwayAgain_RetriesWithBackoffAndTellsOncePerStreak()
    {
        var api = new FlakyCluster(clock) { Down = true };
        using var watch = new CollectionWatch(api, ConfigMaps, "ns", "app", _ => { }, (path, _) => told.Enqueue(path), clock: clock);

        await UntilAsync(() => api.Lists.Count >= 5);
        AssertGaps(api, [2, 4, 8, 16]);
        Assert.Equal(["/api/v1/namespaces/ns/configmaps"], told);

        api.Down = false;
        await UntilAsync(() => api.Watching); // listed, and the watch delivers a bookmark
        api.Down = true;
        var dropped = clock.GetUtcNow();
        api.DropWatch(); // the connection is cut: a new streak of failures begins

        await UntilAsync(() => told.Count == 2);
        await UntilAsync(() => api.Lists.Count >= 7);
        var retried = api.Lists.Skip(6).First() - (dropped - api.Start);
        Assert.InRange(retried.TotalSeconds, 2, 2 + Slack); // soon again, not after the streak's longest wait
    }

    [Fact]
    public async Task Run_ListAllowedButWatchRefused_TellsOnceAndBacksOff()
    {
        var api = new FlakyCluster(clock) { RefuseWatch = true }; // RBAC may allow list but not watch
        using var watch = new CollectionWatch(api, ConfigMaps, "ns", "app", _ => { }, (path, _) => told.Enqueue(path), clock: clock);

        await UntilAsync(() => api.Lists.Count >= 6);

        AssertGaps(api, [2, 4, 8, 16, 30]);
        Assert.Single(told);
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(4, 16)]
    [InlineData(5, 30)]
    [InlineData(40, 30)]
    public void RetryDelay_Failures_DoublesFromTwoSecondsToThirty(int failures, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), CollectionWatch.RetryDelay(failures));

    /// <summary>How late an attempt may be against its schedule: the clock moves in 1 s steps while the watch's task runs on the pool.</summary>
    private const double Slack = 1;

    private static void AssertGaps(FlakyCluster api, double[] expected)
    {
        var times = api.Lists.ToList();
        var gaps = times.Zip(times.Skip(1), (a, b) => (b - a).TotalSeconds).ToList();
        Assert.All(expected.Zip(gaps), g => Assert.InRange(g.Second, g.First, g.First + Slack));
    }

    /// <summary>Moves the fake clock a second at a time (letting the watch's task run) until <paramref name="done"/>.</summary>
    private async Task UntilAsync(Func<bool> done)
    {
        for (var i = 0; i < 600 && !done(); i++)
        {
            await Task.Delay(5);
            if (!done())
            {
                clock.Advance(TimeSpan.FromSeconds(1));
            }
        }

        Assert.True(done(), "not within 600 s of fake time");
    }

    /// <summary>A cluster that refuses connections while <see cref="Down"/>, and otherwise lists nothing and watches until dropped.</summary>
    private sealed class FlakyCluster(FakeTimeProvider clock) : IClusterClient
    {
        private TaskCompletionSource drop = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public DateTimeOffset Start { get; } = clock.GetUtcNow();

        public bool Down { get; set; }

        public bool RefuseWatch { get; set; }

        public bool Watching { get; private set; }

        /// <summary>When each LIST was asked for, since the start, in fake time.</summary>
        public ConcurrentQueue<TimeSpan> Lists { get; } = new();

        public RequestCounter Requests { get; } = new();

        public void DropWatch() => drop.TrySetResult();

        public Task<JsonObject> ListAsync(string path, string? labelSelector, CancellationToken ct)
        {
            Lists.Enqueue(clock.GetUtcNow() - Start);
            return Down
                ? Task.FromException<JsonObject>(new HttpRequestException("Connection refused"))
                : Task.FromResult(new JsonObject { ["metadata"] = new JsonObject { ["resourceVersion"] = "1" }, ["items"] = new JsonArray() });
        }

        public async IAsyncEnumerable<JsonObject> WatchAsync(string path, string? labelSelector, string resourceVersion, int timeoutSeconds, [EnumeratorCancellation] CancellationToken ct)
        {
            if (RefuseWatch)
            {
                throw new HttpRequestException("Forbidden");
            }

            yield return new JsonObject { ["type"] = "BOOKMARK", ["object"] = new JsonObject { ["metadata"] = new JsonObject { ["resourceVersion"] = "2" } } };
            Watching = true;
            await drop.Task.WaitAsync(ct);
            drop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Watching = false;
            throw new HttpRequestException("Connection reset by peer");
        }

        public Task<JsonObject?> GetAsync(string path, CancellationToken ct) => throw new NotSupportedException();

        public Task<JsonObject> ApplyAsync(string path, JsonObject body, bool dryRun, CancellationToken ct) => throw new NotSupportedException();

        public Task<JsonObject> JsonPatchAsync(string path, JsonArray patch, CancellationToken ct) => throw new NotSupportedException();

        public Task<JsonObject> CreateAsync(string collectionPath, JsonObject body, CancellationToken ct, bool dryRun = false) => throw new NotSupportedException();

        public Task<bool> DeleteAsync(string path, CancellationToken ct, JsonObject? preconditions = null) => throw new NotSupportedException();
    }
}
