using GitOps.Agent.Hosting;
using GitOps.Agent.Sync;
using GitOps.Diff.Health;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Agent.Tests.Hosting;

/// <summary>
/// A pass gives its slot of the pool back once the engine is done with the cluster: a final note
/// waiting for the next notes push does not keep other targets' passes from starting.
/// </summary>
public sealed class TargetWorkerPoolTests : IDisposable
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero));
    private readonly CancellationTokenSource leading = new();

    public void Dispose()
    {
        leading.Cancel();
        leading.Dispose();
    }

    [Fact]
    public async Task Pass_ReportingAfterTheEngine_FreesTheSlotForAnotherTarget()
    {
        var passes = new ReportingHangs();
        var git = new ScriptedGit(clock);
        TargetConfig[] targets = [new("a", "https://git.example.com/r.git"), new("b", "https://git.example.com/r.git")];
        var config = AgentConfig.Default(targets);
        var services = new WorkerServices(passes, git, new AgentMetrics(new GitOps.Agent.Kube.RequestCounter(), clock), new AgentReadiness(), clock) { Pool = new PassPool(1) };

        _ = Task.Run(() => new TargetWorker(targets[0], config, services, NullLogger<TargetWorker>.Instance).RunAsync(leading.Token));
        await passes.AReporting.Task.WaitAsync(TimeSpan.FromSeconds(10)); // a holds the one slot, then writes its note
        _ = Task.Run(() => new TargetWorker(targets[1], config, services, NullLogger<TargetWorker>.Instance).RunAsync(leading.Token));

        await passes.BRan.Task.WaitAsync(TimeSpan.FromSeconds(10)); // b's pass ran while a's report still waits
        Assert.False(passes.ReleaseA.Task.IsCompleted);
        passes.ReleaseA.TrySetResult();
    }

    /// <summary>Target a's pass finishes with the cluster, then waits in its "report"; b's just runs.</summary>
    private sealed class ReportingHangs : IPassExecutor
    {
        public TaskCompletionSource AReporting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource ReleaseA { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource BRan { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<PassOutcome> RunAsync(PassRequest request, CancellationToken ct)
        {
            var source = ScriptedGit.Revision(new string('a', 40));
            if (request.Target.Name == "a")
            {
                request.EngineDone?.Invoke();
                AReporting.TrySetResult();
                await ReleaseA.Task.WaitAsync(ct);
            }
            else
            {
                BRan.TrySetResult();
            }

            return new PassOutcome(new SyncResult(source.CommitSha, request.Target.Name, SyncPhase.Synced, HealthStatus.Healthy, "ok", []), source, null);
        }
    }
}
