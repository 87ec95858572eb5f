using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using GitOps.Agent.Sync.Forge;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace GitOps.TestSupport.Forge;

/// <summary>One request as the forge received it: the raw target keeps GitLab's %2F as sent.</summary>
internal sealed record ForgeRequest(string Method, string RawTarget, IReadOnlyDictionary<string, string> Headers, JsonObject? Body)
{
    public string Path => RawTarget.Split('?')[0];

    public string? Field(string name) => Body?[name]?.GetValue<string>();
}

/// <summary>A scripted answer, used once, before the forge's ordinary behaviour.</summary>
internal sealed record ForgeAnswer(string Method, int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>
/// A forge's commit-status API on a local Kestrel port: records every request, keeps posted
/// statuses per commit and lists them newest first in the provider's own shape (GitHub lists
/// <c>state</c>, Gitea and GitLab <c>status</c>; GitLab names a status <c>name</c>).
/// </summary>
internal sealed class FakeForge : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ForgeProvider provider;
    private readonly ConcurrentQueue<ForgeAnswer> answers = new();
    private readonly ConcurrentDictionary<string, List<JsonObject>> statuses = new();

    private FakeForge(WebApplication app, ForgeProvider provider)
    {
        this.app = app;
        this.provider = provider;
    }

    public ConcurrentQueue<ForgeRequest> Requests { get; } = new();

    public string Url => app.Urls.First();

    public IEnumerable<ForgeRequest> Posts => Requests.Where(r => r.Method == "POST");

    public static async Task<FakeForge> StartAsync(ForgeProvider provider)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var forge = new FakeForge(builder.Build(), provider);
        forge.app.Run(forge.HandleAsync);
        await forge.app.StartAsync();
        return forge;
    }

    public void Answer(ForgeAnswer answer) => answers.Enqueue(answer);

    /// <summary>When set, every request gets this answer (a forge that is down), before any scripted one.</summary>
    public ForgeAnswer? Always { get; set; }

    /// <summary>A status already on <paramref name="sha"/>, as someone posted it before.</summary>
    public void Has(string sha, string context, string state, string description) =>
        statuses.GetOrAdd(sha, _ => []).Add(Listed(context, state, description));

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    private async Task HandleAsync(HttpContext http)
    {
        var body = http.Request.ContentLength > 0 || http.Request.Method == "POST"
            ? JsonNode.Parse(await new StreamReader(http.Request.Body).ReadToEndAsync()) as JsonObject
            : null;
        var raw = http.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var request = new ForgeRequest(http.Request.Method, raw, http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body);
        Requests.Enqueue(request);
        if (Always is { } down)
        {
            await AnswerAsync(http, down.Status, down.Body, down.Headers);
            return;
        }

        if (answers.TryPeek(out var scripted) && scripted.Method == request.Method && answers.TryDequeue(out _))
        {
            await AnswerAsync(http, scripted.Status, scripted.Body, scripted.Headers);
            return;
        }

        var sha = request.Path.Split('/')[^(request.Method == "POST" ? 1 : 2)];
        if (request.Method == "POST" && body is not null)
        {
            var name = body[provider == ForgeProvider.GitLab ? "name" : "context"]!.GetValue<string>();
            statuses.GetOrAdd(sha, _ => []).Add(Listed(name, request.Field("state")!, request.Field("description") ?? ""));
            await AnswerAsync(http, 201, body.ToJsonString());
            return;
        }

        var listed = new JsonArray([.. statuses.GetValueOrDefault(sha, []).AsEnumerable().Reverse().Select(s => s.DeepClone())]);
        await AnswerAsync(http, 200, listed.ToJsonString());
    }

    private JsonObject Listed(string context, string state, string description) => provider switch
    {
        ForgeProvider.GitHub => new() { ["context"] = context, ["state"] = state, ["description"] = description },
        ForgeProvider.GitLab => new() { ["name"] = context, ["status"] = state, ["description"] = description },
        _ => new() { ["context"] = context, ["status"] = state, ["description"] = description },
    };

    private static async Task AnswerAsync(HttpContext http, int status, string body, IReadOnlyDictionary<string, string>? headers = null)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            http.Response.Headers[name] = value;
        }

        await http.Response.WriteAsync(body);
    }
}
