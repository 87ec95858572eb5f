using System.Text.Json.Nodes;
using GitOps.Agent.Sync;
using GitOps.Diff.Confinement;

namespace GitOps.Integration.Tests.Sync;

/// <summary>
/// A hook replaces (deletes, then creates) the object of its name, so it is judged before anything
/// is written: confined like a member, and never replacing somebody else's object.
/// </summary>
public sealed class HookClaimTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private static readonly (string, string) PreSync = ("gitops.dev/hook", "PreSync");

    [Fact]
    public async Task Sync_ConfinedTargetPreSyncHookIsANamespaceOutside_RefusedNothingWrittenNamespaceKept()
    {
        await using var h = new SyncHarness(cluster, "hookconf");
        var other = ClusterFixture.UniqueName("hookvictim");
        h.CleanUp($"/api/v1/namespaces/{other}");
        h.Kubectl("create", "namespace", other);
        var uid = Uid(await h.GetAsync($"/api/v1/namespaces/{other}"));
        h.Target = h.Target with { Confinement = TargetConfinement.Of([h.Namespace], ClusterScopePolicy.Only(["Namespace"])) };
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace))
            .Write("a.yaml", ReleaseYaml.ConfigMap(h.Namespace, "a", "1"))
            .Write("hook.yaml", $"""
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: {other}
                  annotations:
                    gitops.dev/hook: PreSync
                """)
            .Commit("a hook outside");

        var result = await h.SyncAsync();

        Assert.Equal(SyncPhase.Failed, result.Phase);
        Assert.Contains("1 object(s) outside the target's confinement; nothing was applied", result.Message, StringComparison.Ordinal);
        Assert.Contains($"Namespace/{other}: namespace {other} is not among the target's allowedNamespaces", result.Message, StringComparison.Ordinal);
        var kept = await h.GetAsync($"/api/v1/namespaces/{other}");
        Assert.Equal(uid, Uid(kept));
        Assert.Null(kept!["metadata"]!["deletionTimestamp"]);
        Assert.Null(await h.GetAsync($"/api/v1/namespaces/{h.Namespace}"));
        Assert.Null(await h.GetAsync($"/api/v1/namespaces/default/configmaps/gitops-{h.Namespace}")); // not even the inventory
    }

    [Fact]
    public async Task Sync_HookNamedLikeAnotherTargetsMember_RefusedBeforeAnyWriteMemberUntouched()
    {
        await using var h = new SyncHarness(cluster, "hookmember");
        h.Kubectl("create", "namespace", h.Namespace);
        h.Repo.Write("shared.yaml", ReleaseYaml.ConfigMap(h.Namespace, "shared", "owner")).Commit("owner");
        Assert.Equal(SyncPhase.Synced, (await h.SyncAsync()).Phase);
        var uid = Uid(await h.ConfigMapAsync("shared"));

        h.Target = h.Target with { Name = h.Namespace + "-b" };
        h.CleanUp($"/api/v1/namespaces/default/configmaps/gitops-{h.Namespace}-b");
        h.Repo.Delete("shared.yaml")
            .Write("hook.yaml", ReleaseYaml.ConfigMap(h.Namespace, "shared", "hook", PreSync))
            .Write("b.yaml", ReleaseYaml.ConfigMap(h.Namespace, "b", "1"))
            .Commit("other target");

        var result = await h.SyncAsync();

        Assert.Equal(SyncPhase.Failed, result.Phase);
        Assert.Contains($"1 hook(s) refused; nothing was applied: hook ConfigMap/{h.Namespace}/shared: exists and is a member of ApplySet", result.Message, StringComparison.Ordinal);
        var shared = await h.ConfigMapAsync("shared");
        Assert.Equal(uid, Uid(shared));
        Assert.Equal("owner", (string?)shared!["data"]!["value"]);
        Assert.Null(await h.ConfigMapAsync("b"));
        Assert.Null(await h.GetAsync($"/api/v1/namespaces/default/configmaps/gitops-{h.Namespace}-b"));
    }

    [Fact]
    public async Task Sync_AdoptFalseUnmanagedObjectAtHookName_RefusedObjectUntouched()
    {
        await using var h = new SyncHarness(cluster, "hooknoadopt");
        h.Kubectl("create", "namespace", h.Namespace);
        h.Kubectl("create", "configmap", "hook", "-n", h.Namespace, "--from-literal=value=mine");
        var uid = Uid(await h.ConfigMapAsync("hook"));
        h.Target = h.Target with { Adopt = false };
        h.Repo.Write("hook.yaml", ReleaseYaml.ConfigMap(h.Namespace, "hook", "1", PreSync))
            .Write("a.yaml", ReleaseYaml.ConfigMap(h.Namespace, "a", "1"))
            .Commit("hook over an unmanaged object");

        var result = await h.SyncAsync();

        Assert.Equal(SyncPhase.Failed, result.Phase);
        Assert.Contains($"hook ConfigMap/{h.Namespace}/hook: exists and is not managed by this target; the target does not adopt (adopt: false)", result.Message, StringComparison.Ordinal);
        var hook = await h.ConfigMapAsync("hook");
        Assert.Equal(uid, Uid(hook));
        Assert.Equal("mine", (string?)hook!["data"]!["value"]);
        Assert.Null(await h.ConfigMapAsync("a"));
    }

    [Fact]
    public async Task Sync_AdoptingTargetUnmanagedObjectAtHookName_ReplacedAsBefore()
    {
        await using var h = new SyncHarness(cluster, "hookadopt");
        h.Kubectl("create", "namespace", h.Namespace);
        h.Kubectl("create", "configmap", "hook", "-n", h.Namespace, "--from-literal=value=mine");
        var uid = Uid(await h.ConfigMapAsync("hook"));
        h.Repo.Write("hook.yaml", ReleaseYaml.ConfigMap(h.Namespace, "hook", "1", PreSync)).Write("a.yaml", ReleaseYaml.ConfigMap(h.Namespace, "a", "1")).Commit("adopt");

        var result = await h.SyncAsync();

        Assert.Equal(SyncPhase.Synced, result.Phase);
        var hook = await h.ConfigMapAsync("hook");
        Assert.NotEqual(uid, Uid(hook));
        Assert.Equal("1", (string?)hook!["data"]!["value"]);
    }

    private static string? Uid(JsonObject? o) => (string?)o?["metadata"]?["uid"];
}
