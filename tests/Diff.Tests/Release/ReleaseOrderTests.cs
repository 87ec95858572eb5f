using GitOps.Diff.Identity;
using GitOps.Diff.Release;

namespace GitOps.Diff.Tests.Release;

public class ReleaseOrderTests
{
    private sealed record Item(ResourceKey Key, ReleaseRole Role);

    private static Item Member(string kind, string name, int wave) => new(new ResourceKey(kind == "Namespace" ? "" : kind == "Deployment" ? "apps" : "", kind, kind == "Namespace" ? null : "app", name), ReleaseRole.Member with { Wave = wave });

    private static Item Hook(string name, int wave, params HookPhase[] phases) =>
        new(new ResourceKey("batch", "Job", "app", name), new ReleaseRole(wave, phases, new HashSet<HookDeletePolicy> { HookDeletePolicy.BeforeHookCreation }));

    [Fact]
    public void SyncWaves_MembersAndSyncHooks_GroupedByWaveAscending()
    {
        var members = new[] { Member("Deployment", "web", 1), Member("ConfigMap", "db", 0), Member("Namespace", "app", -1), Member("Service", "web", 1) };
        var hooks = new[] { Hook("seed", 0, HookPhase.Sync), Hook("migrate", 0, HookPhase.PreSync), Hook("late", 3, HookPhase.Sync) };

        var waves = ReleaseOrder.SyncWaves(members, m => m.Role.Wave, m => m.Key, hooks, h => h.Role, h => h.Key);

        Assert.Equal([-1, 0, 1, 3], waves.Select(w => w.Wave));
        Assert.Equal(["seed"], waves[1].Hooks.Select(h => h.Key.Name));
        Assert.Equal(["web", "web"], waves[2].Members.Select(m => m.Key.Name));
        Assert.Equal("Service", waves[2].Members[0].Key.Kind); // apply order inside a wave
        Assert.Empty(waves[3].Members);
        Assert.Equal(["late"], waves[3].Hooks.Select(h => h.Key.Name));
    }

    [Fact]
    public void HookWaves_Phase_OnlyThatPhaseByWave()
    {
        var hooks = new[] { Hook("b", 2, HookPhase.PreSync), Hook("a", -1, HookPhase.PreSync, HookPhase.PostSync), Hook("c", 2, HookPhase.PreSync), Hook("d", 0, HookPhase.SyncFail) };

        var waves = ReleaseOrder.HookWaves(hooks, h => h.Role, h => h.Key, HookPhase.PreSync);

        Assert.Equal([["a"], ["b", "c"]], waves.Select(w => w.Select(h => h.Key.Name).ToArray()).ToArray());
        Assert.Equal(["a"], ReleaseOrder.HookWaves(hooks, h => h.Role, h => h.Key, HookPhase.PostSync).Single().Select(h => h.Key.Name));
    }

    [Fact]
    public void PruneOrder_Waves_HighestWaveFirstThenReverseApplyOrder()
    {
        var items = new[] { Member("Namespace", "app", 0), Member("ConfigMap", "db", 0), Member("Deployment", "web", 1), Member("Service", "web", 1) };

        var order = ReleaseOrder.PruneOrder(items, i => i.Role.Wave, i => i.Key);

        Assert.Equal(["Deployment", "Service", "ConfigMap", "Namespace"], order.Select(i => i.Key.Kind));
    }
}
