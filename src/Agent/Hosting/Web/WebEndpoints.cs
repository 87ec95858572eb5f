using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace GitOps.Agent.Hosting.Web;

/// <summary>
/// The read-only pages (<c>/</c>, <c>/targets/…</c>), their JSON API (<c>/api/…</c>) and assets
/// (<c>/assets/…</c>) on the status server's port. GET and HEAD only; every response carries a
/// CSP that allows the agent's own assets and nothing else, inline script included.
/// </summary>
/// <param name="leading">Whether this replica holds the Lease: a follower runs no pass, and its pages say so.</param>
internal sealed class WebEndpoints(AgentConfig config, ViewStore store, WebAccess access, TimeProvider clock, Func<bool>? leading = null)
{
    public const string Csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "font-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private const string HtmlType = "text/html; charset=utf-8";
    private const string JsonType = "application/json; charset=utf-8";

    public bool Serves(string? path) => config.Web.Enabled && path is { } p
        && (p == "/" || p.StartsWith("/targets/", StringComparison.Ordinal) || p.StartsWith("/api/", StringComparison.Ordinal) || p.StartsWith("/assets/", StringComparison.Ordinal));

    public async Task RespondAsync(HttpContext context)
    {
        var (request, response) = (context.Request, context.Response);
        Secure(response);
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            response.Headers.Allow = "GET, HEAD";
            await TextAsync(response, StatusCodes.Status405MethodNotAllowed, "method not allowed: the pages only read\n");
            return;
        }

        var path = request.Path.Value!;
        if (WebAssets.Find(path) is { } asset)
        {
            response.ContentType = asset.ContentType;
            response.Headers.CacheControl = "no-cache";
            await response.Body.WriteAsync(asset.Bytes, context.RequestAborted);
            return;
        }

        switch (access.Check(context))
        {
            case WebAccess.Verdict.Redirect:
                response.StatusCode = StatusCodes.Status303SeeOther;
                response.Headers.Location = path;
                return;
            case WebAccess.Verdict.Denied:
                response.Headers.WWWAuthenticate = "Bearer";
                await TextAsync(response, StatusCodes.Status401Unauthorized, "unauthorized: send the web token (Authorization: Bearer, or ?token= once)\n");
                return;
        }

        response.Headers.CacheControl = "no-store";
        if (path == "/api/events")
        {
            await EventStream.RunAsync(context, store, config.Web.EventInterval, clock);
            return;
        }

        await RouteAsync(context, path);
    }

    private async Task RouteAsync(HttpContext context, string path)
    {
        var snapshot = store.Current;
        var now = clock.GetUtcNow();
        var api = path.StartsWith("/api/", StringComparison.Ordinal);
        var parts = (api ? path["/api".Length..] : path).Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        var query = TargetQuery.Parse(context.Request.Query, config.Web.PageSize);
        TargetView? target = parts.Length >= 2 && parts[0] == "targets" ? snapshot.Targets.GetValueOrDefault(parts[1]) : null;
        var commit = parts.Length == 4 && parts[2] == "commits" ? target?.CommitAt(parts[3]) : null;
        var cluster = leading is null || leading() ? config.Cluster : $"{config.Cluster} · a follower replica: passes run on the leader, whose pages show them";
        (int Status, string Type, byte[] Bytes) body = (api, parts.Length) switch
        {
            (true, 1) when parts[0] == "targets" => Json(ApiJson.Targets(snapshot, query.Apply(snapshot))),
            (true, 2) when target is not null => Json(ApiJson.Target(snapshot, target)),
            (true, 4) when commit is not null => Json(ApiJson.Commit(snapshot, target!, commit)),
            (true, _) => (StatusCodes.Status404NotFound, JsonType, ApiJson.Error(NotFound(parts, target))),
            (false, 0) => Page(FrontPageHtml.Render(cluster, snapshot, query, now)),
            (false, 2) when target is not null => Page(TargetPageHtml.Render(cluster, snapshot, target, now)),
            (false, 4) when commit is not null => Page(CommitPageHtml.Render(cluster, snapshot, target!, commit, now)),
            _ => (StatusCodes.Status404NotFound, HtmlType, Encoding.UTF8.GetBytes(Html.Page("not found", cluster, snapshot.Version, now, h => h.El("p", NotFound(parts, target), "empty").Link("/", "All targets")))),
        };
        context.Response.StatusCode = body.Status;
        context.Response.ContentType = body.Type;
        await context.Response.Body.WriteAsync(body.Bytes, context.RequestAborted);
    }

    private static (int Status, string Type, byte[] Bytes) Json(byte[] bytes) => (StatusCodes.Status200OK, JsonType, bytes);

    private static (int Status, string Type, byte[] Bytes) Page(string html) => (StatusCodes.Status200OK, HtmlType, Encoding.UTF8.GetBytes(html));

    private static string NotFound(string[] parts, TargetView? target) =>
        parts.Length >= 2 && parts[0] == "targets" && target is null ? $"no target named '{parts[1]}'"
        : parts.Length == 4 && parts[2] == "commits" ? $"commit '{parts[3]}' is not among the last commits of the target's branch"
        : "not found";

    /// <summary>Headers of every response of the pages, the API and the assets.</summary>
    public static void Secure(HttpResponse response)
    {
        var h = response.Headers;
        h.ContentSecurityPolicy = Csp;
        h.XContentTypeOptions = "nosniff";
        h.XFrameOptions = "DENY";
        h["Referrer-Policy"] = "no-referrer";
        h["Cross-Origin-Opener-Policy"] = "same-origin";
        h["Cross-Origin-Resource-Policy"] = "same-origin";
    }

    private static Task TextAsync(HttpResponse response, int status, string text)
    {
        response.StatusCode = status;
        response.ContentType = "text/plain; charset=utf-8";
        return response.WriteAsync(text);
    }
}

/// <summary>The optional token of the pages: a bearer header, a cookie, or once <c>?token=</c> that sets the cookie.</summary>
internal sealed class WebAccess(string? token)
{
    public const string Cookie = "gitops-web";

    public enum Verdict
    {
        Allowed,
        Redirect,
        Denied,
    }

    /// <summary>Reads the token file once, at start; a token is trimmed of surrounding whitespace and must not be empty.</summary>
    public static WebAccess From(WebOptions options)
    {
        if (options.TokenFile is null)
        {
            return new WebAccess(null);
        }

        var text = File.ReadAllText(options.TokenFile).Trim();
        return text.Length > 0 ? new WebAccess(text) : throw new InvalidOperationException($"web.tokenFile {options.TokenFile} is empty");
    }

    public Verdict Check(HttpContext context)
    {
        if (token is null)
        {
            return Verdict.Allowed;
        }

        var request = context.Request;
        var header = (string?)request.Headers.Authorization;
        if (header is not null && header.StartsWith("Bearer ", StringComparison.Ordinal) && Same(header["Bearer ".Length..]))
        {
            return Verdict.Allowed;
        }

        if (request.Cookies[Cookie] is { } cookie && Same(cookie))
        {
            return Verdict.Allowed;
        }

        if (request.Query.TryGetValue("token", out StringValues given) && Same(given.ToString()) && !request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            context.Response.Cookies.Append(Cookie, token, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/", Secure = request.IsHttps });
            return Verdict.Redirect;
        }

        return Verdict.Denied;
    }

    private bool Same(string given) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(token!));
}
