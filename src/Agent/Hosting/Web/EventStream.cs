using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace GitOps.Agent.Hosting.Web;

/// <summary>
/// <c>/api/events</c>: server-sent events, one <c>change</c> event with the snapshot's version each
/// time the view changes (at most one per interval to a client), and a comment every 15 s so
/// proxies keep the stream open. The pages re-fetch themselves on each event.
/// </summary>
internal static class EventStream
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static async Task RunAsync(HttpContext context, ViewStore store, TimeSpan interval, TimeProvider clock)
    {
        var response = context.Response;
        var ct = context.RequestAborted;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers["X-Accel-Buffering"] = "no";
        var seen = store.Current.Version;
        try
        {
            await response.WriteAsync($"retry: 2000\nevent: change\ndata: {{\"version\":{seen.ToString(CultureInfo.InvariantCulture)}}}\n\n", ct);
            await response.Body.FlushAsync(ct);
            while (!ct.IsCancellationRequested)
            {
                using var wake = CancellationTokenSource.CreateLinkedTokenSource(ct);
                wake.CancelAfter(KeepAlive);
                try
                {
                    await store.ChangedSinceAsync(seen, wake.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    await response.WriteAsync(": keep-alive\n\n", ct);
                    await response.Body.FlushAsync(ct);
                    continue;
                }

                await Task.Delay(interval, clock, ct); // let a burst of passes settle into one event
                seen = store.Current.Version;
                await response.WriteAsync($"event: change\ndata: {{\"version\":{seen.ToString(CultureInfo.InvariantCulture)}}}\n\n", ct);
                await response.Body.FlushAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // the client went away, or the agent stops
        }
    }
}
