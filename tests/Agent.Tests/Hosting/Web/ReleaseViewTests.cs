using System.Text;
using System.Text.Json;
using GitOps.Agent.Git;
using GitOps.Agent.Hosting;
using GitOps.Agent.Hosting.Web;
using GitOps.Agent.Sync;
using GitOps.Diff.Drift;
using GitOps.Diff.Health;
using GitOps.Diff.Identity;
using GitOps.Diff.Release;
using Microsoft.AspNetCore.Http;
using static GitOps.Agent.Tests.Hosting.Web.ViewFakes;

namespace GitOps.Agent.Tests.Hosting.Web;

/// <summary>The release of a pass in the pages and the API: its hooks (phase, outcome, why) and each object's wave.</summary>
public sealed class ReleaseViewTests
{
    private const string Hostile = "Job/smoke: failed: <img src=x onerror=alert(1)> & <script>alert(2)</script>";

    private static readonly ResourceKey Migrate = new("batch", "Job", "demo", "migrate");

    private static readonly ResourceKey Smoke = new("batch", "Job", "demo", "smoke");

    private readonly ViewStore store = new([TargetView.Of(Target("app"))]);
    private readonly ViewReporter reporter;

    public ReleaseViewTests() =>
        reporter = new ViewReporter(store, new CommitLog(Path.Combine(Path.GetTempPath(), "gitops-view-tests-none")), new FixedClock(Now), new WebOptions());

    [Fact]
    public async Task FinishedAsync_PassWithTwoHooksOneFailed_RecordsHooksAndWaves()
    {
        await reporter.FinishedAsync(Pass("app", Sha(1)), Release(Sha(1)), false, CancellationToken.None);

        var view = store.Current.Targets["app"];
        Assert.Same(view.LastPass, view.LastRelease);
        Assert.Equal([(Migrate, HookPhase.PreSync, HookOutcome.Succeeded), (Smoke, HookPhase.PostSync, HookOutcome.Failed)], view.LastRelease!.Hooks.Select(h => (h.Key, h.Phase, h.Outcome)));
        Assert.Equal([2, null], view.LastPass!.Objects.Select(o => o.Wave));
    }

    [Fact]
    public async Task LastRelease_LaterNoOpPassAtTheSameCommit_KeepsTheHooksAsTheyRan()
    {
        var ran = Synced(Sha(1), Member(1)) with { Hooks = [new HookResult(Migrate, HookPhase.PreSync, HookOutcome.Succeeded, "succeeded")] };
        var again = Synced(Sha(1), Member(1)) with { Hooks = [new HookResult(Migrate, HookPhase.PreSync, HookOutcome.Skipped, "not run: hooks run once per revision")] };
        await reporter.FinishedAsync(Pass("app", Sha(1)), ran, false, CancellationToken.None);

        await reporter.FinishedAsync(Pass("app", Sha(1)), again, false, CancellationToken.None);

        var view = store.Current.Targets["app"];
        Assert.Equal(HookOutcome.Skipped, Assert.Single(view.LastPass!.Hooks).Outcome);
        Assert.Equal(HookOutcome.Succeeded, Assert.Single(view.LastRelease!.Hooks).Outcome);
    }

    [Fact]
    public async Task RespondAsync_TargetAndCommitJson_GiveHooksAndWaves()
    {
        var web = await ServedAsync();

        var target = await JsonAsync(web, "/api/targets/app");
        var commit = await JsonAsync(web, $"/api/targets/app/commits/{Sha(1)[..10]}");

        var hooks = target.GetProperty("hooks");
        Assert.Equal(2, hooks.GetArrayLength());
        Assert.Equal("batch", hooks[0].GetProperty("group").GetString());
        Assert.Equal("Job", hooks[0].GetProperty("kind").GetString());
        Assert.Equal("demo", hooks[0].GetProperty("namespace").GetString());
        Assert.Equal("migrate", hooks[0].GetProperty("name").GetString());
        Assert.Equal("PreSync", hooks[0].GetProperty("phase").GetString());
        Assert.Equal("succeeded", hooks[0].GetProperty("outcome").GetString());
        Assert.Equal("PostSync", hooks[1].GetProperty("phase").GetString());
        Assert.Equal("failed", hooks[1].GetProperty("outcome").GetString());
        Assert.Equal(Hostile, hooks[1].GetProperty("message").GetString());
        Assert.Equal(2, target.GetProperty("objects")[0].GetProperty("wave").GetInt32());
        Assert.Equal(JsonValueKind.Null, target.GetProperty("objects")[1].GetProperty("wave").ValueKind);
        var pass = commit.GetProperty("pass");
        Assert.Equal(["migrate", "smoke"], pass.GetProperty("hooks").EnumerateArray().Select(h => h.GetProperty("name").GetString()));
        Assert.Equal(2, pass.GetProperty("objects")[0].GetProperty("wave").GetInt32());
    }

    [Theory]
    [InlineData("/targets/app")]
    [InlineData("/targets/app/commits/0000000")]
    public async Task RespondAsync_Pages_ListTheHooksWithTheHostileMessageEscaped(string path)
    {
        var html = Body(await GetAsync(await ServedAsync(), path));

        Assert.Contains("<h2>Release</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<table class=\"hooks\">", html, StringComparison.Ordinal);
        Assert.Contains("<th>Wave</th>", html, StringComparison.Ordinal);
        Assert.Contains("<td data-label=\"Wave\">2</td>", html, StringComparison.Ordinal);
        Assert.Contains(">migrate</td><td data-label=\"Phase\">PreSync</td><td data-label=\"Outcome\"><span class=\"badge s-succeeded\">succeeded</span>", html, StringComparison.Ordinal);
        Assert.Contains(">smoke</td><td data-label=\"Phase\">PostSync</td><td data-label=\"Outcome\"><span class=\"badge s-failed\">failed</span>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt; &amp; &lt;script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RespondAsync_TargetWithoutHooks_SaysSoAndGivesAnEmptyList()
    {
        await reporter.FinishedAsync(Pass("app", Sha(1)), Synced(Sha(1), Member(0)), false, CancellationToken.None);
        var web = Endpoints();

        var html = Body(await GetAsync(web, "/targets/app"));
        var target = await JsonAsync(web, "/api/targets/app");

        Assert.Contains("The revision has no hooks.", html, StringComparison.Ordinal);
        Assert.Equal(0, target.GetProperty("hooks").GetArrayLength());
        Assert.Equal(0, target.GetProperty("objects")[0].GetProperty("wave").GetInt32());
    }

    private static ObjectResult Member(int wave) => new(ConfigMap, SyncAction.Configured, HealthStatus.Healthy) { Wave = wave };

    /// <summary>A pass that ran a PreSync hook, applied a member in wave 2, pruned another, and failed its PostSync hook.</summary>
    private static SyncResult Release(string commit) =>
        new(commit, "app", SyncPhase.Failed, HealthStatus.Healthy, "PostSync hook failed", [Member(2), new ObjectResult(Secret, SyncAction.Pruned, HealthStatus.Healthy, "pruned")])
        {
            ClusterRevision = commit,
            Hooks = [new HookResult(Migrate, HookPhase.PreSync, HookOutcome.Succeeded, "succeeded"), new HookResult(Smoke, HookPhase.PostSync, HookOutcome.Failed, Hostile)],
        };

    private async Task<WebEndpoints> ServedAsync()
    {
        await reporter.FinishedAsync(Pass("app", Sha(1)), Release(Sha(1)), false, CancellationToken.None);
        store.Update("app", v => v with { History = new CommitPage("tip", null, [Commit(Sha(1), "release", Entry("prod", "app", "Failed"))]) });
        return Endpoints();
    }

    private WebEndpoints Endpoints() =>
        new(AgentConfig.Default([Target("app")]) with { Cluster = "prod" }, store, new WebAccess(null), new FixedClock(Now));

    private static async Task<JsonElement> JsonAsync(WebEndpoints web, string path)
    {
        var context = await GetAsync(web, path);
        Assert.Equal(200, context.Response.StatusCode);
        return JsonDocument.Parse(Body(context)).RootElement;
    }

    private static async Task<DefaultHttpContext> GetAsync(WebEndpoints web, string path)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = path;
        context.Response.Body = new MemoryStream();
        await web.RespondAsync(context);
        Assert.Equal(200, context.Response.StatusCode);
        return context;
    }

    private static string Body(DefaultHttpContext context) => Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());
}
