using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Agent.Git;

namespace GitOps.Agent.Sync.Forge;

/// <summary>A forge refused a status or could not be reached; the message holds the forge's own words, never the token.</summary>
internal sealed class ForgeException(string message, HttpStatusCode? status = null, Exception? inner = null) : Exception(message, inner)
{
    public HttpStatusCode? Status { get; } = status;
}

/// <summary>
/// The requests of one report, sharing one wait budget (<see cref="ForgeOptions.MaxWait"/>): a
/// rate limit (429, or 403 with no requests remaining) is waited out as the forge asks
/// (<c>Retry-After</c>, else <c>X-RateLimit-Reset</c>) when that fits the budget; 5xx and network
/// errors are tried again with jittered backoff. Whatever does not fit is given up: a status is
/// worth less than a pass that keeps its schedule.
/// </summary>
internal sealed class ForgeCall(HttpClient http, ForgeApi api, string token, TimeProvider clock, ForgeOptions options)
{
    private readonly DateTimeOffset started = clock.GetUtcNow();

    public async Task<JsonNode?> GetAsync(Uri uri, CancellationToken ct) =>
        JsonNode.Parse(await SendAsync(HttpMethod.Get, uri, null, ct) is { Length: > 0 } text ? text : "null");

    public Task PostAsync(Uri uri, JsonObject body, CancellationToken ct) => SendAsync(HttpMethod.Post, uri, body, ct);

    private async Task<string> SendAsync(HttpMethod method, Uri uri, JsonObject? body, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, uri);
            api.Authorize(request, token);
            if (body is not null)
            {
                request.Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
            }

            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, ct);
            }
            catch (HttpRequestException ex) when (attempt < options.Attempts)
            {
                await WaitAsync(Backoff(attempt), $"{Describe(method, uri)}: {ex.Message}", ct);
                continue;
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !ct.IsCancellationRequested))
            {
                throw new ForgeException(Clean($"{Describe(method, uri)}: {ex.Message}"), inner: ex);
            }

            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(ct);
                if (response.IsSuccessStatusCode)
                {
                    return text;
                }

                var failure = Clean($"{Describe(method, uri)}: {(int)response.StatusCode} {response.ReasonPhrase}: {ForgeMessage(text)}");
                if (RateLimitDelay(response) is { } delay)
                {
                    await WaitAsync(delay, $"rate limited: {failure}", ct);
                }
                else if ((int)response.StatusCode >= 500 && attempt < options.Attempts)
                {
                    await WaitAsync(Backoff(attempt), failure, ct);
                }
                else
                {
                    throw new ForgeException(failure, response.StatusCode);
                }
            }
        }
    }

    /// <summary>Waits <paramref name="delay"/> when the budget allows it; otherwise gives up with <paramref name="reason"/>.</summary>
    private async Task WaitAsync(TimeSpan delay, string reason, CancellationToken ct)
    {
        var spent = clock.GetUtcNow() - started;
        if (spent + delay > options.MaxWait)
        {
            throw new ForgeException($"{reason} (gave up: waiting {delay.TotalSeconds:0.#}s more would hold the pass past {options.MaxWait.TotalSeconds:0.#}s)");
        }

        await Task.Delay(delay, clock, ct);
    }

    private TimeSpan Backoff(int attempt) =>
        options.RetryDelay * Math.Pow(2, attempt - 1) * (0.5 + Random.Shared.NextDouble());

    /// <summary>How long the forge asks to wait, when the answer is a rate limit; null for any other answer.</summary>
    private TimeSpan? RateLimitDelay(HttpResponseMessage response)
    {
        var exhausted = Header(response, "X-RateLimit-Remaining") ?? Header(response, "RateLimit-Remaining");
        var retryAfter = response.Headers.RetryAfter;
        var limited = response.StatusCode == HttpStatusCode.TooManyRequests
            || (response.StatusCode == HttpStatusCode.Forbidden && (exhausted == "0" || retryAfter is not null));
        if (!limited)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        if (retryAfter?.Delta is { } delta)
        {
            return delta;
        }

        if (retryAfter?.Date is { } date)
        {
            return Max(date - now);
        }

        var reset = Header(response, "X-RateLimit-Reset") ?? Header(response, "RateLimit-Reset");
        return long.TryParse(reset, NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch)
            ? Max(DateTimeOffset.FromUnixTimeSeconds(epoch) - now)
            : TimeSpan.FromSeconds(1);
    }

    private static TimeSpan Max(TimeSpan wait) => wait > TimeSpan.Zero ? wait : TimeSpan.Zero;

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary>The forge's own explanation: <c>message</c> (GitHub, Gitea, GitLab) or <c>error</c> (GitLab), else the body's start.</summary>
    private string ForgeMessage(string text)
    {
        try
        {
            if (JsonNode.Parse(text) is JsonObject o && (o["message"] ?? o["error"]) is { } m)
            {
                return Limit(m is JsonValue v && v.TryGetValue<string>(out var s) ? s : m.ToJsonString());
            }
        }
        catch (JsonException)
        {
            // not JSON (a proxy's HTML page): its start is still the best clue
        }

        return Limit(text.Trim());
    }

    private string Limit(string text) => text.Length <= options.MaxErrorLength ? text : text[..options.MaxErrorLength] + "…";

    private static string Describe(HttpMethod method, Uri uri) => $"{method} {uri.GetLeftPart(UriPartial.Path)}";

    /// <summary>No credential leaves this class: not in a URL, and not the token echoed back by a forge.</summary>
    private string Clean(string text) => UrlRedactor.Redact(token.Length == 0 ? text : text.Replace(token, UrlRedactor.Mask, StringComparison.Ordinal));
}
