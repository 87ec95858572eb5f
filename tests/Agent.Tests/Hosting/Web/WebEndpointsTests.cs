using System.Diagnostics;
using System.Text;
using System.Text.Json;
using GitOps.Agent.Hosting;
using GitOps.Agent.Hosting.Web;
using GitOps.Agent.Sync;
using Microsoft.AspNetCore.Http;
using Xunit.Abstractions;
using static GitOps.Agent.Tests.Hosting.Web.ViewFakes;

namespace GitOps.Agent.Tests.Hosting.Web;

/// <summary>The pages and the API as served: routes, JSON, escaping, security headers, methods, the token; and their cost at 1,000 targets.</summary>
public sealed class WebEndpointsTests(ITestOutputHelper output)
{
    private const string Hostile = "<script>alert(1)</script>\n\nand <img src=x onerror=alert(2)>";

    [Fact]
    public async Task RespondAsync_Targets_ListsAPageWithCountsAndFilters()
    {
        var web = Endpoints(Store(50));

        var all = await JsonAsync(web, "/api/targets", "limit=20");
        var problems = await JsonAsync(web, "/api/targets", "filter=problems");

        Assert.Equal(50, all.GetProperty("total").GetInt32());
        Assert.Equal(20, all.GetProperty("targets").GetArrayLength());
        Assert.Equal(5, all.GetProperty("counts").GetProperty("failed").GetInt32());
        Assert.Equal(45, all.GetProperty("counts").GetProperty("synced").GetInt32());
        var first = all.GetProperty("targets")[0];
        Assert.Equal("t0000", first.GetProperty("name").GetString());
        Assert.Equal("Synced", first.GetProperty("phase").GetString());
        Assert.Equal(Sha(1), first.GetProperty("liveCommit").GetString());
        Assert.Equal("2026-12-03T11:59:00+00:00", first.GetProperty("lastSync").GetString());
        Assert.Equal(5, problems.GetProperty("matched").GetInt32());
        Assert.All(problems.GetProperty("targets").EnumerateArray(), t => Assert.Equal("Failed", t.GetProperty("phase").GetString()));
        Assert.StartsWith("app/x.yaml:3:1", problems.GetProperty("targets")[0].GetProperty("lastError").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RespondAsync_TargetAndCommit_GiveObjectsPathsStatusesAndNoFieldValues()
    {
        var store = Store(1);
        var pass = new PassView(Sha(1), TargetPhase.Synced, GitOps.Diff.Health.HealthStatus.Healthy, "configured=1", Now, [new ObjectView(Secret, GitOps.Diff.Drift.SyncAction.Configured, GitOps.Diff.Health.HealthStatus.Healthy, "Secret: exists", null, ["data.password"])]);
        store.Update("t0000", v => ViewReporter.Record(v, pass, Synced(Sha(1)), false) with
        {
            History = new GitOps.Agent.Git.CommitPage("tip", "notes", [Commit(Sha(1), Hostile, Entry("prod", "t0000", "Synced"), Entry("staging", "t0000", "Failed"), Entry("prod", "other", "Failed"))]),
        });
        var web = Endpoints(store);

        var target = await JsonAsync(web, "/api/targets/t0000");
        var commit = await JsonAsync(web, $"/api/targets/t0000/commits/{Sha(1)[..10]}");

        var o = target.GetProperty("objects")[0];
        Assert.Equal("Secret", o.GetProperty("kind").GetString());
        Assert.Equal("configured", o.GetProperty("action").GetString());
        Assert.Equal("Secret: exists", o.GetProperty("healthReason").GetString());
        Assert.Equal("data.password", target.GetProperty("drift").GetProperty("objects")[0].GetProperty("changedPaths")[0].GetString());
        var statuses = target.GetProperty("commits")[0].GetProperty("statuses");
        Assert.Equal(["prod", "staging"], statuses.EnumerateArray().Select(s => s.GetProperty("cluster").GetString()));
        Assert.Equal(Hostile, commit.GetProperty("message").GetString());
        Assert.Equal("prod/a.yaml", commit.GetProperty("files")[0].GetString());
        Assert.Equal("Synced", commit.GetProperty("pass").GetProperty("phase").GetString());
        Assert.DoesNotContain("old", target.GetRawText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/targets/t0000")]
    [InlineData("/targets/t0000/commits/0000000")]
    public async Task RespondAsync_Pages_EscapeHostileTextAndSendTheSecurityHeaders(string path)
    {
        var store = Store(1);
        store.Update("t0000", v => v with { History = new GitOps.Agent.Git.CommitPage("tip", null, [Commit(Sha(1), Hostile, Entry("prod", "t0000", "Failed"))]) });
        var context = await GetAsync(Endpoints(store), path);
        var html = Body(context);

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", context.Response.ContentType);
        Assert.Equal(WebEndpoints.Csp, context.Response.Headers.ContentSecurityPolicy.ToString());
        Assert.Contains("frame-ancestors 'none'", WebEndpoints.Csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", WebEndpoints.Csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", context.Response.Headers.XContentTypeOptions.ToString());
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.Single(html.Split("<script").Skip(1)); // only the agent's own script, by src
        Assert.Contains("<script src=\"/assets/app.js\" defer></script>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST", "/")]
    [InlineData("PUT", "/api/targets")]
    [InlineData("DELETE", "/targets/t0000")]
    public async Task RespondAsync_NotGet_Returns405(string method, string path)
    {
        var context = await SendAsync(Endpoints(Store(1)), method, path);

        Assert.Equal(405, context.Response.StatusCode);
        Assert.Equal("GET, HEAD", context.Response.Headers.Allow.ToString());
    }

    [Theory]
    [InlineData("/api/targets/nope", 404, "no target named \\u0027nope\\u0027")]
    [InlineData("/api/targets/t0000/commits/abcdef1", 404, "commit \\u0027abcdef1\\u0027 is not among")]
    [InlineData("/targets/nope", 404, "no target named &#x27;nope&#x27;")]
    [InlineData("/assets/nothing.js", 404, "not found")]
    public async Task RespondAsync_Unknown_Returns404NamingIt(string path, int status, string says)
    {
        var context = await GetAsync(Endpoints(Store(1)), path);

        Assert.Equal(status, context.Response.StatusCode);
        Assert.Contains(says, Body(context), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RespondAsync_Assets_ServeTheEmbeddedFilesWithTheirTypes()
    {
        var web = Endpoints(Store(1));

        var js = await GetAsync(web, "/assets/app.js");
        var css = await GetAsync(web, "/assets/app.css");

        Assert.Equal("text/javascript; charset=utf-8", js.Response.ContentType);
        Assert.Contains("EventSource", Body(js), StringComparison.Ordinal);
        Assert.DoesNotContain("innerHTML", Body(js), StringComparison.Ordinal);
        Assert.Equal("text/css; charset=utf-8", css.Response.ContentType);
        Assert.DoesNotContain("@import", Body(css), StringComparison.Ordinal);
        Assert.DoesNotContain("url(", Body(css), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RespondAsync_TokenConfigured_DeniesWithoutItAndAllowsBearerCookieAndQuery()
    {
        var web = Endpoints(Store(1), new WebAccess("s3cret-token"));

        var none = await GetAsync(web, "/api/targets");
        var wrong = await GetAsync(web, "/api/targets", headers: ("Authorization", "Bearer nope"));
        var bearer = await GetAsync(web, "/api/targets", headers: ("Authorization", "Bearer s3cret-token"));
        var cookie = await GetAsync(web, "/", headers: ("Cookie", $"{WebAccess.Cookie}=s3cret-token"));
        var query = await GetAsync(web, "/targets/t0000", "token=s3cret-token");
        var asset = await GetAsync(web, "/assets/app.css");

        Assert.Equal(401, none.Response.StatusCode);
        Assert.Equal(401, wrong.Response.StatusCode);
        Assert.Equal(200, bearer.Response.StatusCode);
        Assert.Equal(200, cookie.Response.StatusCode);
        Assert.Equal(303, query.Response.StatusCode);
        Assert.Equal("/targets/t0000", query.Response.Headers.Location.ToString());
        Assert.Contains("HttpOnly", query.Response.Headers.SetCookie.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", query.Response.Headers.SetCookie.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(200, asset.Response.StatusCode);
        Assert.DoesNotContain("s3cret-token", Body(none), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RespondAsync_ThousandTargets_ServesFrontPageAndApiInMilliseconds()
    {
        var web = Endpoints(Store(1000));
        var timings = new Dictionary<string, List<double>>();
        foreach (var (path, query) in new[] { ("/", ""), ("/", "offset=900"), ("/", "filter=problems"), ("/api/targets", ""), ("/api/targets", "limit=1000") })
        {
            await GetAsync(web, path, query); // warm-up
            var times = timings[$"{path}?{query}"] = [];
            for (var i = 0; i < 20; i++)
            {
                var clock = Stopwatch.StartNew();
                var context = await GetAsync(web, path, query);
                times.Add(clock.Elapsed.TotalMilliseconds);
                Assert.Equal(200, context.Response.StatusCode);
            }
        }

        foreach (var (what, times) in timings)
        {
            times.Sort();
            output.WriteLine($"{what}: median {times[times.Count / 2]:F2} ms, max {times[^1]:F2} ms (20 runs, 1,000 targets)");
        }

        var front = Body(await GetAsync(web, "/"));
        Assert.Equal(100, front.Split("<tr class=").Length - 1); // a page of 100, not 1,000 rows
        Assert.Contains("1–100 of 1000", front, StringComparison.Ordinal);
        Assert.True(timings["/?"][10] < 1000, "a page of 1,000 targets takes well under a second to serve");
    }

    private static WebEndpoints Endpoints(ViewStore store, WebAccess? access = null) =>
        new(AgentConfig.Default([Target("app")]) with { Cluster = "prod" }, store, access ?? new WebAccess(null), new FixedClock(Now));

    private static async Task<JsonElement> JsonAsync(WebEndpoints web, string path, string query = "")
    {
        var context = await GetAsync(web, path, query);
        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", context.Response.ContentType);
        return JsonDocument.Parse(Body(context)).RootElement;
    }

    private static Task<DefaultHttpContext> GetAsync(WebEndpoints web, string path, string query = "", params (string Name, string Value)[] headers) =>
        SendAsync(web, "GET", path, query, headers);

    private static async Task<DefaultHttpContext> SendAsync(WebEndpoints web, string method, string path, string query = "", params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query.Length == 0 ? string.Empty : "?" + query);
        foreach (var (name, value) in headers)
        {
            context.Request.Headers[name] = value;
        }

        context.Response.Body = new MemoryStream();
        Assert.True(web.Serves(path));
        await web.RespondAsync(context);
        return context;
    }

    private static string Body(DefaultHttpContext context) => Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());
}
