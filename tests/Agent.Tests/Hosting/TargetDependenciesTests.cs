using GitOps.Agent.Hosting;
using GitOps.Agent.Sync;
using GitOps.Diff.Health;

namespace GitOps.Agent.Tests.Hosting;

/// <summary><c>dependsOn</c>: refused when it cannot be satisfied, and ready only at the dependency's head.</summary>
public sealed class TargetDependenciesTests
{
    private const string Head = "1111111111111111111111111111111111111111";
    private const string Older = "2222222222222222222222222222222222222222";

    [Fact]
    public void Parse_DependsOnKnownTargets_Binds()
    {
        var config = AgentConfigLoader.Parse("agent.yaml", """
            targets:
            - {name: infra, repository: https://git.example.com/r.git}
            - {name: apps, repository: https://git.example.com/r.git, dependsOn: [infra]}
            """);

        Assert.Equal(["infra"], config.Targets[1].DependsOn);
        Assert.Empty(config.Targets[0].DependsOn);
    }

    [Fact]
    public void Parse_DependsOnUnknownTarget_IsAnErrorNamingIt()
    {
        var error = Assert.Throws<AgentConfigException>(() => AgentConfigLoader.Parse("agent.yaml", """
            targets:
            - {name: apps, repository: https://git.example.com/r.git, dependsOn: [infra]}
            """));

        Assert.Contains("targets[apps].dependsOn: no target is named 'infra'", error.Errors);
    }

    [Fact]
    public void Parse_DependsOnCycle_IsAnErrorNamingTheCycle()
    {
        var error = Assert.Throws<AgentConfigException>(() => AgentConfigLoader.Parse("agent.yaml", """
            targets:
            - {name: a, repository: https://git.example.com/r.git, dependsOn: [b]}
            - {name: b, repository: https://git.example.com/r.git, dependsOn: [c]}
            - {name: c, repository: https://git.example.com/r.git, dependsOn: [a]}
            - {name: d, repository: https://git.example.com/r.git, dependsOn: [d]}
            """));

        Assert.Contains("targets: dependsOn makes a cycle: a -> b -> c -> a", error.Errors);
    }

    [Fact]
    public void NotReady_DependencySyncedHealthyAtItsHead_Ready()
    {
        var deps = new TargetDependencies();
        deps.Publish("infra", Head, Result(Head, SyncPhase.Synced, HealthStatus.Healthy), []);

        Assert.Null(deps.NotReady(["infra"]));
    }

    [Theory]
    [InlineData(Older, "Synced", HealthStatus.Healthy, "not yet at its branch head")]
    [InlineData(Head, "Failed", HealthStatus.Unknown, "is Failed")]
    [InlineData(Head, "Synced", HealthStatus.Progressing, "is Progressing")]
    public void NotReady_DependencyBehindFailedOrUnhealthy_SaysWhy(string revision, string phase, HealthStatus health, string expected)
    {
        var deps = new TargetDependencies();
        deps.Publish("infra", Head, Result(revision, Enum.Parse<SyncPhase>(phase), health), []);

        Assert.Contains(expected, deps.NotReady(["infra"]), StringComparison.Ordinal);
    }

    [Fact]
    public void NotReady_SameBranchDependencyStillAtTheOldHead_WaitsForTheDependentsCommit()
    {
        var deps = new TargetDependencies();
        var next = new string('f', 40);
        deps.Publish("infra", Head, Result(Head, SyncPhase.Synced, HealthStatus.Healthy), []); // has not looked at git since the push

        Assert.Contains($"has not synced {next[..12]} yet", deps.NotReady(["infra"], _ => next), StringComparison.Ordinal);

        deps.Publish("infra", next, Result(next, SyncPhase.Synced, HealthStatus.Healthy), []);
        Assert.Null(deps.NotReady(["infra"], _ => next));
    }

    [Fact]
    public void Publish_Dependency_WakesItsDependents()
    {
        var deps = new TargetDependencies();
        var woken = 0;
        deps.Subscribe("apps", () => woken++);

        deps.Publish("infra", Head, Result(Head, SyncPhase.Synced, HealthStatus.Healthy), ["apps"]);

        Assert.Equal(1, woken);
        Assert.Contains("has not run yet", deps.NotReady(["other"]), StringComparison.Ordinal);
    }

    private static SyncResult Result(string revision, SyncPhase phase, HealthStatus health) =>
        new(revision, "infra", phase, health, "m", []);
}
