using System.Text;
using GitOps.Agent.Hosting;
using GitOps.Integration.Tests.Sync;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GitOps.Integration.Tests.Agent.Web;

/// <summary>
/// The agent's pages in a real browser (Debian's Chromium through Playwright) while the agent syncs
/// a real repository into the real API server: what they list, that a push shows without a reload,
/// that no request leaves the agent and that no Secret value reaches a page or the JSON.
/// </summary>
public sealed class WebViewBrowserTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private const string SecretValue = "web-s3cret-Zq9x-never-shown";
    private const string Hostile = "<script>alert(1)</script> & <img src=x onerror=alert(2)> deploy";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task FrontPage_PushWhileOpen_ListsTargetsAndShowsTheNewCommitWithoutReload()
    {
        await using var a = new AgentHarness(cluster, "webfront");
        Objects(a).Commit("first");
        var first = a.Push();
        var config = TwoTargets(a);
        await a.StartAsync(config);
        await using var browser = await BrowserSession.OpenAsync(config.Port);
        var page = browser.Page;

        await page.GotoAsync("/");
        var app = page.Locator("tr[data-target='app']");
        await Expect(app.Locator("td[data-label='Live commit']")).ToHaveTextAsync(first[..7], new() { Timeout = Ms(Patience) });
        await Expect(app.Locator("td[data-label='Phase']")).ToHaveTextAsync("Synced");
        await Expect(page.Locator("tr[data-target='broken'] td[data-label='Phase']")).ToHaveTextAsync("Failed", new() { Timeout = Ms(Patience) });
        await Expect(page.Locator("tr[data-target='broken'] td.error")).ToContainTextAsync("broken/bad.yaml");
        await Expect(page.Locator("#live")).ToHaveTextAsync("live");
        await browser.ScreenshotAsync("front");

        await page.EvaluateAsync("() => { window.stillTheSamePage = 42; }");
        a.Sync.Repo.Write("app/a.yaml", Yaml.ConfigMap(a.Namespace, "a", ("k", "2"))).Commit(Hostile);
        var second = a.Push();
        await Expect(app.Locator("td[data-label='Live commit']")).ToHaveTextAsync(second[..7], new() { Timeout = Ms(Patience) });
        Assert.Equal(42, await page.EvaluateAsync<int>("() => window.stillTheSamePage"));

        await page.GotoAsync("/?filter=problems");
        await Expect(page.Locator("tr[data-target='broken']")).ToHaveCountAsync(1);
        await Expect(page.Locator("tr[data-target='app']")).ToHaveCountAsync(1); // its Deployment stays Progressing: the simulated pod is not Ready for an hour
        await page.GotoAsync("/targets/app");
        await Expect(page.Locator("table.commits td.subject").First).ToHaveTextAsync(Hostile);
        Assert.Equal(0, await page.Locator("table.commits img, main script").CountAsync());
        AssertOnlyTheAgent(browser);
    }

    [Fact]
    public async Task TargetAndCommitPages_SyncedTarget_ListObjectsHealthDriftAndNoSecretValue()
    {
        await using var a = new AgentHarness(cluster, "webtarget");
        Objects(a).Commit("objects with a Secret");
        var commit = a.Push();
        var config = TwoTargets(a);
        await a.StartAsync(config);
        await a.WaitForStatusAsync(commit, "Synced", Patience);
        await using var browser = await BrowserSession.OpenAsync(config.Port);
        var page = browser.Page;

        await page.GotoAsync("/targets/app");
        var objects = page.Locator("table.objects").First;
        await Expect(objects.Locator("tr", new() { HasText = "ConfigMap" })).ToContainTextAsync("Healthy", new() { Timeout = Ms(Patience) });
        await Expect(objects.Locator("tr", new() { HasText = "Secret" })).ToContainTextAsync("db");
        await Expect(objects.Locator("tr", new() { HasText = "Deployment" })).ToContainTextAsync("Progressing");
        await Expect(page.Locator("table.commits tr", new() { HasText = "objects with a Secret" })).ToContainTextAsync("Synced", new() { Timeout = Ms(Patience) });

        // A hand edit of the Secret is put back by the agent: the page shows the field's path, never a value.
        a.Sync.Kubectl("-n", a.Namespace, "patch", "secret", "db", "--type=merge", "-p", "{\"stringData\":{\"password\":\"hand-edited\"}}");
        await Expect(page.Locator("table.objects", new() { HasText = "data.password" })).ToHaveCountAsync(1, new() { Timeout = Ms(Patience) });
        await browser.ScreenshotAsync("target");

        await page.Locator("table.commits a", new() { HasText = commit[..7] }).First.ClickAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync("objects with a Secret");
        await Expect(page.Locator("ul.files")).ToContainTextAsync("app/secret.yaml");
        await Expect(page.Locator("table.objects tr", new() { HasText = "Deployment" })).ToContainTextAsync("created"); // what applying the commit did
        await Expect(page.Locator("#live")).ToHaveTextAsync("live");
        await browser.ScreenshotAsync("commit");
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("/targets/app");
        await browser.ScreenshotAsync("target-phone");

        foreach (var api in new[] { "/api/targets", "/api/targets/app", $"/api/targets/app/commits/{commit}" })
        {
            var response = await page.APIRequest.GetAsync(api);
            Assert.Equal(200, response.Status);
            browser.Bodies.Enqueue(await response.TextAsync());
        }

        var everything = string.Join("\n", browser.Bodies);
        Assert.Contains("data.password", everything, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretValue, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(SecretValue)), everything, StringComparison.Ordinal);
        Assert.DoesNotContain("hand-edited", everything, StringComparison.Ordinal);
        AssertOnlyTheAgent(browser);
    }

    private static TestRepo Objects(AgentHarness a) => a.Sync.Repo
        .Write("app/a.yaml", Yaml.ConfigMap(a.Namespace, "a", ("k", "1")))
        .Write("app/secret.yaml", $"""
            apiVersion: v1
            kind: Secret
            metadata:
              name: db
              namespace: {a.Namespace}
            type: Opaque
            data:
              password: {Convert.ToBase64String(Encoding.UTF8.GetBytes(SecretValue))}
            """)
        .Write("app/web.yaml", Manifests.Deployment(a.Namespace, "web", "app=web", readySeconds: 3600)) // its pod never Ready: Progressing
        .Write("broken/bad.yaml", "kind: [");

    /// <summary>The harness's target "app" on the folder app/, and "broken" on broken/, whose only file does not parse.</summary>
    private static AgentConfig TwoTargets(AgentHarness a)
    {
        var config = a.Config("solo");
        var app = config.Targets[0];
        return config with { Targets = [app with { Path = "app" }, new TargetConfig("broken", app.Repository, "main", "broken") { Interval = app.Interval, DefaultNamespace = a.Namespace }] };
    }

    private static void AssertOnlyTheAgent(BrowserSession browser)
    {
        Assert.NotEmpty(browser.Requests);
        Assert.All(browser.Requests, url => Assert.StartsWith(browser.Origin + "/", url, StringComparison.Ordinal));
    }

    private static float Ms(TimeSpan t) => (float)t.TotalMilliseconds;
}
