using GitOps.Agent.Hosting;
using GitOps.Agent.Sync;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Agent.Tests.Hosting;

/// <summary>Two workers of one agent on a fake clock: <c>apps</c> depends on <c>infra</c>.</summary>
public sealed class TargetWorkerDependsOnTests : IDisposable
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero));
    private readonly CancellationTokenSource leading = new();

    [Fact]
    public async Task RunAsync_DependencyFailing_DependentWaitsUntilItIsSyncedHealthy()
    {
        var git = new ScriptedGit(clock);
        var infraPasses = new ScriptedPasses(clock, git.Start) { Phase = SyncPhase.Failed };
        var appsPasses = new ScriptedPasses(clock, git.Start);
        var infra = new TargetConfig("infra", "https://git.example.com/r.git") { Interval = TimeSpan.FromSeconds(10) };
        var apps = new TargetConfig("apps", "https://git.example.com/r.git") { Interval = TimeSpan.FromSeconds(10), DependsOn = ["infra"] };
        var config = AgentConfig.Default([infra, apps]) with { Worker = new() { Jitter = 0, BackoffInitial = TimeSpan.FromSeconds(2), BackoffMax = TimeSpan.FromSeconds(4) } };
        var metrics = new AgentMetrics(new GitOps.Agent.Kube.RequestCounter(), clock);
        var dependencies = new TargetDependencies();
        foreach (var (target, passes) in new[] { (infra, infraPasses), (apps, appsPasses) })
        {
            var services = new WorkerServices(passes, git, metrics, new AgentReadiness(), clock) { Random = () => 0.5, Dependencies = dependencies };
            var worker = new TargetWorker(target, config, services, NullLogger<TargetWorker>.Instance);
            _ = Task.Run(() => worker.RunAsync(leading.Token));
        }

        await AdvanceAsync(TimeSpan.FromSeconds(30));
        Assert.True(infraPasses.Runs.TryRead(out _)); // infra ran (and failed) ...
        Assert.False(appsPasses.Runs.TryRead(out _)); // ... so apps did not start its revision

        infraPasses.Phase = SyncPhase.Synced;
        var woke = clock.GetUtcNow();
        while (!appsPasses.Runs.TryRead(out _))
        {
            Assert.True(clock.GetUtcNow() - woke < TimeSpan.FromSeconds(30), "apps never ran after infra was Synced");
            await AdvanceAsync(Step);
        }

        Assert.Null(dependencies.NotReady(["infra"]));
    }

    private async Task AdvanceAsync(TimeSpan by)
    {
        for (var t = TimeSpan.Zero; t < by; t += Step)
        {
            for (var i = 0; i < 5; i++)
            {
                await Task.Yield();
            }

            await Task.Delay(1);
            clock.Advance(Step);
        }
    }

    public void Dispose()
    {
        leading.Cancel();
        leading.Dispose();
    }
}
