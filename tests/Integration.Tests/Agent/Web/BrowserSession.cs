using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace GitOps.Integration.Tests.Agent.Web;

/// <summary>
/// Debian's headless Chromium driven by Playwright against one agent's pages. Every request the
/// browser makes is recorded (and any that is not the agent's is aborted), every response body of
/// the agent kept, and screenshots land in the test output's <c>screenshots</c> folder.
/// </summary>
internal sealed class BrowserSession : IAsyncDisposable
{
    public const string Chromium = "/usr/bin/chromium";

    private readonly IPlaywright playwright;
    private readonly IBrowser browser;

    private BrowserSession(IPlaywright playwright, IBrowser browser, IBrowserContext context, IPage page, string origin)
    {
        this.playwright = playwright;
        this.browser = browser;
        Context = context;
        Page = page;
        Origin = origin;
    }

    public string Origin { get; }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>Every URL the browser asked for, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>The text of every response the agent sent the browser.</summary>
    public ConcurrentQueue<string> Bodies { get; } = new();

    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static async Task<BrowserSession> OpenAsync(int port, int width = 1280, int height = 800)
    {
        var origin = $"http://127.0.0.1:{port}";
        var playwright = await Playwright.CreateAsync();
        // --no-sandbox: the tests run as root, where Chromium's sandbox cannot start; a small /dev/shm is not used.
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox", "--disable-dev-shm-usage"] });
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height }, BaseURL = origin });
        var page = await context.NewPageAsync();
        var session = new BrowserSession(playwright, browser, context, page, origin);
        await context.RouteAsync("**/*", async route =>
        {
            var url = route.Request.Url;
            session.Requests.Enqueue(url);
            await (url.StartsWith(origin + "/", StringComparison.Ordinal) ? route.ContinueAsync() : route.AbortAsync());
        });
        page.Response += async (_, response) =>
        {
            if (response.Url.EndsWith("/api/events", StringComparison.Ordinal))
            {
                return; // a stream that never ends
            }

            try
            {
                session.Bodies.Enqueue(await response.TextAsync());
            }
            catch (PlaywrightException)
            {
                // the page navigated away before the body was read
            }
        };
        return session;
    }

    public async Task ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        await Page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        await browser.CloseAsync();
        playwright.Dispose();
    }
}
