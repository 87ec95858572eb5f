using System.Globalization;
using System.Text.Json.Nodes;
using GitOps.Agent.Sync;
using GitOps.Diff.Release;

namespace GitOps.Integration.Tests.Sync;

/// <summary>
/// Hooks against a real API server, with kinds that are done as soon as they exist (a ConfigMap
/// hook succeeds at once), Jobs whose simulated pod fails, and hooks the server refuses (judged
/// with the members, before anything of the revision is written).
/// </summary>
public sealed class HookTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private static readonly (string, string) PreSync = ("gitops.dev/hook", "PreSync");

    [Fact]
    public async Task Sync_PreSyncHook_WrittenBeforeEveryMemberAndNotAMember()
    {
        await using var h = new SyncHarness(cluster, "presync");
        h.Kubectl("create", "namespace", h.Namespace);
        h.Repo.Write("app.yaml", ReleaseYaml.ConfigMap(h.Namespace, "app", "1", ("gitops.dev/sync-wave", "-5")))
            .Write("hook.yaml", ReleaseYaml.ConfigMap(h.Namespace, "hook", "1", PreSync))
            .Commit("hook");

        var result = await h.SyncAsync();

        Assert.Equal(SyncPhase.Synced, result.Phase);
        var hook = Assert.Single(result.Hooks);
        Assert.Equal((HookPhase.PreSync, HookOutcome.Succeeded), (hook.Phase, hook.Outcome));
        Assert.DoesNotContain(result.Objects, o => o.Key.Name == "hook");
        var hookObject = (await h.ConfigMapAsync("hook"))!;
        Assert.True(Version(hookObject) < Version((await h.ConfigMapAsync("app"))!));
        Assert.Null(hookObject["metadata"]!["labels"]!["applyset.kubernetes.io/part-of"]);
        var inventory = (await h.GetAsync($"/api/v1/namespaces/default/configmaps/gitops-{h.Namespace}"))!.ToJsonString();
        Assert.DoesNotContain("\"hook\"", inventory, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_SameRevisionAgain_RunsNoHook()
    {
        await using var h = new SyncHarness(cluster, "selfheal");
        h.Kubectl("create", "namespace", h.Namespace);
        h.Repo.Write("app.yaml", ReleaseYaml.ConfigMap(h.Namespace, "app", "1"))
            .Write("hook.yaml", ReleaseYaml.ConfigMap(h.Namespace, "hook", "1", PreSync))
            .Commit("hook");
        await h.SyncAsync();
        var uid = Uid(await h.ConfigMapAsync("hook"));
        h.Kubectl("-n", h.Namespace, "patch", "configmap", "app", "--type=merge", "-p", """{"data":{"value":"drifted"}}""");

        var heal = await h.SyncAsync();

        Assert.Equal(SyncPhase.Synced, heal.Phase);
        Assert.Equal("1", (string?)(await h.ConfigMapAsync("app"))!["data"]!["value"]); // the drift was healed
        Assert.Equal(HookOutcome.Skipped, Assert.Single(heal.Hooks).Outcome);
        Assert.Equal(uid, Uid(await h.ConfigMapAsync("hook")));
    }

    [Fact]
    public async Task Sync_NewRevision_BeforeHookCreationReplacesTheHook()
    {
        await using var h = new SyncHarness(cluster, "beforehook");
        h.Kubectl("create", "namespace", h.Namespace);
        h.Repo.Write("hook.yaml", ReleaseYaml.ConfigMap(h.Namespace, "hook", "1", PreSync)).Write("app.yaml", ReleaseYaml.ConfigMap(h.Namespace, "app", "1")).Commit("one");
        await h.SyncAsync();
        var first = Uid(await h.ConfigMapAsync("hook"));

        h.Repo.Write("app.yaml", ReleaseYaml.ConfigMap(h.Namespace, "app", "2")).Commit("two");
        var result = await h.SyncAsync();

        Assert.Equal(HookOutcome.Succeeded, Assert.Single(result.Hooks).Outcome);
        Assert.NotEqual(first, Uid(await h.ConfigMapAsync("hook")));
    }

    [Fact]
    public async Task Sync_HookSucceededPolicy_DeletesTheHookAfterItsRun()
    {
        await using var h = new SyncHarness(cluster, "hooksucceeded");
        h.Kubectl("create", "namespace", h.Namespace);
        h.Repo.Write("hook.yaml", ReleaseYaml.ConfigMap(h.Namespace, "hook", "1", ("gitops.dev/hook", "PostSync"), ("gitops.dev/hook-delete-policy", "HookSucceeded")))
            .Write("app.yaml", ReleaseYaml.ConfigMap(h.Namespace, "app", "1"))
            .Commit("post");

        var result = await h.SyncAsync();

        Assert.Equal(SyncPhase.Synced, result.Phase);
        Assert.Equal((HookPhase.PostSync, HookOutcome.Succeeded), (result.Hooks[0].Phase, result.Hooks[0].Outcome));
        Assert.Null(await h.ConfigMapAsync("hook"));
    }

    [Fact]
    public async Task Sync_FailingPreSyncHook_FailsTheRevisionAndLeavesTheOldState()
    {
        await using var h = new SyncHarness(cluster, "hookfail");
        h.Kubectl("create", "namespace", h.Namespace);
        h.Repo.Write("app.yaml", ReleaseYaml.ConfigMap(h.Namespace, "app", "old")).Commit("old");
        var old = await h.SyncAsync();

        h.Repo.Write("app.yaml", ReleaseYaml.ConfigMap(h.Namespace, "app", "new"))
            .Write("migrate.yaml", ReleaseYaml.Job(h.Namespace, "migrate", runSeconds: 0, exitCode: 1, PreSync))
            .Write("failed.yaml", ReleaseYaml.ConfigMap(h.Namespace, "on-fail", "1", ("gitops.dev/hook", "SyncFail")))
            .Commit("new with a failing migration");
        var result = await h.SyncAsync();

        Assert.Equal(SyncPhase.Failed, result.Phase);
        Assert.Contains("PreSync hook Job/", result.Message, StringComparison.Ordinal);
        Assert.Contains("/migrate failed", result.Message, StringComparison.Ordinal);
        Assert.Contains("exit code 1", result.Message, StringComparison.Ordinal);
        Assert.Contains("nothing after it was applied", result.Message, StringComparison.Ordinal);
        Assert.Equal(old.Revision, result.ClusterRevision);
        Assert.Equal("old", (string?)(await h.ConfigMapAsync("app"))!["data"]!["value"]);
        Assert.Contains(result.Hooks, r => r.Phase == HookPhase.SyncFail && r.Outcome == HookOutcome.Succeeded);
        Assert.NotNull(await h.ConfigMapAsync("on-fail"));
    }

    [Fact]
    public async Task Sync_HookFailedPolicyAndSyncFail_FailedHookDeletedOthersKept()
    {
        await using var h = new SyncHarness(cluster, "hookfailed");
        h.Kubectl("create", "namespace", h.Namespace);
        h.Repo.Write("migrate.yaml", ReleaseYaml.Job(h.Namespace, "migrate", runSeconds: 0, exitCode: 1, PreSync, ("gitops.dev/hook-delete-policy", "HookFailed")))
            .Write("keep.yaml", ReleaseYaml.ConfigMap(h.Namespace, "kept", "1", ("gitops.dev/hook", "SyncFail"), ("gitops.dev/hook-delete-policy", "HookFailed")))
            .Commit("fails");

        var result = await h.SyncAsync();

        Assert.Equal(SyncPhase.Failed, result.Phase);
        Assert.Null(await h.GetAsync($"/apis/batch/v1/namespaces/{h.Namespace}/jobs/migrate"));
        Assert.NotNull(await h.ConfigMapAsync("kept")); // it succeeded: HookFailed does not delete it
    }

    [Fact]
    public async Task Sync_ServerRefusesASyncHookOfWave1_NothingOfTheRevisionWritten()
    {
        await using var h = new SyncHarness(cluster, "hookrefused");
        h.Kubectl("create", "namespace", h.Namespace);
        h.Repo.Write("db.yaml", ReleaseYaml.ConfigMap(h.Namespace, "db", "1"))
            .Write("migrate.yaml", ReleaseYaml.InvalidJob(h.Namespace, "migrate", ("gitops.dev/hook", "Sync"), ("gitops.dev/sync-wave", "1")))
            .Write("web.yaml", ReleaseYaml.ConfigMap(h.Namespace, "web", "1", ("gitops.dev/sync-wave", "2")))
            .Commit("a Sync hook the server refuses");

        var result = await h.SyncAsync();

        Assert.Equal(SyncPhase.Failed, result.Phase);
        Assert.Contains("hook(s) refused; nothing was applied", result.Message, StringComparison.Ordinal);
        Assert.Contains("Sync hook Job/", result.Message, StringComparison.Ordinal);
        Assert.Contains("/migrate: rejected by the server", result.Message, StringComparison.Ordinal);
        Assert.Contains("restartPolicy", result.Message, StringComparison.Ordinal); // the server's own reason
        Assert.Null(await h.ConfigMapAsync("db")); // wave 0 was not written
        Assert.Null(await h.GetAsync($"/apis/batch/v1/namespaces/{h.Namespace}/jobs/migrate"));
        Assert.True(string.IsNullOrEmpty(result.ClusterRevision));
    }

    [Fact]
    public async Task Sync_HookInANamespaceTheRevisionCreates_DryRunPassesAndItRuns()
    {
        await using var h = new SyncHarness(cluster, "hooknewns");
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace))
            .Write("hook.yaml", ReleaseYaml.ConfigMap(h.Namespace, "hook", "1", ("gitops.dev/hook", "Sync"), ("gitops.dev/sync-wave", "1")))
            .Commit("a hook in a new namespace");

        var result = await h.SyncAsync();

        Assert.True(result.Phase == SyncPhase.Synced, result.Message);
        Assert.Equal(HookOutcome.Succeeded, Assert.Single(result.Hooks).Outcome);
    }

    [Fact]
    public async Task Sync_HookRemovedFromRevisionOrFormerMember_NeverPruned()
    {
        await using var h = new SyncHarness(cluster, "hooknoprune");
        h.Kubectl("create", "namespace", h.Namespace);
        h.Repo.Write("hook.yaml", ReleaseYaml.ConfigMap(h.Namespace, "hook", "1", PreSync))
            .Write("becomes-hook.yaml", ReleaseYaml.ConfigMap(h.Namespace, "was-member", "1"))
            .Write("app.yaml", ReleaseYaml.ConfigMap(h.Namespace, "app", "1"))
            .Commit("one");
        await h.SyncAsync();

        h.Repo.Delete("hook.yaml")
            .Write("becomes-hook.yaml", ReleaseYaml.ConfigMap(h.Namespace, "was-member", "2", PreSync))
            .Commit("hook gone, member now a hook");
        var result = await h.SyncAsync();

        Assert.Equal(SyncPhase.Synced, result.Phase);
        Assert.DoesNotContain(result.Objects, o => o.Action == Diff.Drift.SyncAction.Pruned);
        Assert.NotNull(await h.ConfigMapAsync("hook"));
        Assert.Equal("2", (string?)(await h.ConfigMapAsync("was-member"))!["data"]!["value"]);
        var inventory = (await h.GetAsync($"/api/v1/namespaces/default/configmaps/gitops-{h.Namespace}"))!.ToJsonString();
        Assert.DoesNotContain("was-member", inventory, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_ArgoAndHelmHookAnnotations_RunAsHooks()
    {
        await using var h = new SyncHarness(cluster, "hookalias");
        h.Kubectl("create", "namespace", h.Namespace);
        h.Repo.Write("argo.yaml", ReleaseYaml.ConfigMap(h.Namespace, "argo", "1", ("argocd.argoproj.io/hook", "PreSync"), ("argocd.argoproj.io/hook-delete-policy", "HookSucceeded")))
            .Write("helm.yaml", ReleaseYaml.ConfigMap(h.Namespace, "helm", "1", ("helm.sh/hook", "post-install,post-upgrade")))
            .Write("test.yaml", ReleaseYaml.ConfigMap(h.Namespace, "helm-test", "1", ("helm.sh/hook", "test")))
            .Write("ours.yaml", ReleaseYaml.ConfigMap(h.Namespace, "ours", "1", ("helm.sh/hook", "post-install"), ("gitops.dev/hook", "PreSync")))
            .Write("app.yaml", ReleaseYaml.ConfigMap(h.Namespace, "app", "1"))
            .Commit("aliases");

        var result = await h.SyncAsync();

        Assert.Equal(SyncPhase.Synced, result.Phase);
        var phases = result.Hooks.ToDictionary(r => r.Key.Name, r => (r.Phase, r.Outcome));
        Assert.Equal((HookPhase.PreSync, HookOutcome.Succeeded), phases["argo"]);
        Assert.Equal((HookPhase.PostSync, HookOutcome.Succeeded), phases["helm"]);
        Assert.Equal((HookPhase.PreSync, HookOutcome.Succeeded), phases["ours"]);
        Assert.False(phases.ContainsKey("helm-test"));
        Assert.Null(await h.ConfigMapAsync("argo")); // HookSucceeded
        Assert.Null(await h.ConfigMapAsync("helm-test")); // a test hook: never applied by a sync
        Assert.True(Version((await h.ConfigMapAsync("ours"))!) < Version((await h.ConfigMapAsync("app"))!));
        Assert.True(Version((await h.ConfigMapAsync("helm"))!) > Version((await h.ConfigMapAsync("app"))!));
    }

    [Fact]
    public async Task Sync_SyncHookOfAKindItsRevisionDefines_RunsOnceTheCrdExists()
    {
        await using var h = new SyncHarness(cluster, "hookcrd");
        var group = $"{h.Namespace}.example.com";
        h.CleanUp($"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.{group}");
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace))
            .Write("crd.yaml", Manifests.WidgetCrd(group))
            .Write("hook.yaml", $"""
                apiVersion: {group}/v1
                kind: Widget
                metadata:
                  name: seed
                  namespace: {h.Namespace}
                  annotations:
                    gitops.dev/hook: Sync
                    gitops.dev/sync-wave: "1"
                spec:
                  size: 1
                """)
            .Commit("a hook of a kind the revision defines");

        var result = await h.SyncAsync();

        Assert.Equal(SyncPhase.Synced, result.Phase);
        var hook = Assert.Single(result.Hooks);
        Assert.Equal((HookPhase.Sync, HookOutcome.Succeeded), (hook.Phase, hook.Outcome));
        Assert.NotNull(await h.GetAsync($"/apis/{group}/v1/namespaces/{h.Namespace}/widgets/seed"));
    }

    private static long Version(JsonObject obj) => long.Parse((string)obj["metadata"]!["resourceVersion"]!, CultureInfo.InvariantCulture);

    private static string? Uid(JsonObject? obj) => (string?)obj?["metadata"]?["uid"];
}
