using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace GitOps.Agent.Sync.Forge;

/// <summary>
/// The request shapes of one forge's commit-status API (pure: no I/O). GitHub and Gitea share
/// their paths; GitLab addresses a project by its url-encoded path or id, names a status
/// <c>name</c>, and spells failure <c>failed</c>. Listings are read newest first.
/// </summary>
internal sealed class ForgeApi(CommitStatusConfig config)
{
    public const string GitHubApiVersion = "2022-11-28";

    private readonly string root = config.Url.AbsoluteUri.TrimEnd('/');

    public ForgeProvider Provider => config.Provider;

    /// <summary>The statuses of <paramref name="sha"/>, newest first (enough of them to hold ours).</summary>
    public Uri ListUri(string sha, string context) => config.Provider switch
    {
        ForgeProvider.GitHub => new($"{root}/repos/{OwnerName}/commits/{sha}/statuses?per_page=100"),
        ForgeProvider.GitLab => new($"{root}/projects/{Project}/repository/commits/{sha}/statuses?name={Uri.EscapeDataString(context)}&per_page=100"),
        _ => new($"{root}/repos/{OwnerName}/commits/{sha}/statuses?sort=recentupdate&limit=50"),
    };

    public Uri PostUri(string sha) => config.Provider == ForgeProvider.GitLab
        ? new($"{root}/projects/{Project}/statuses/{sha}")
        : new($"{root}/repos/{OwnerName}/statuses/{sha}");

    public void Authorize(HttpRequestMessage request, string token)
    {
        switch (config.Provider)
        {
            case ForgeProvider.GitHub:
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
                request.Headers.Add("X-GitHub-Api-Version", GitHubApiVersion);
                break;
            case ForgeProvider.GitLab:
                request.Headers.Add("PRIVATE-TOKEN", token);
                break;
            default:
                request.Headers.Authorization = new AuthenticationHeaderValue("token", token);
                break;
        }

        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("gitops-agent", AgentInfo.Version));
    }

    public JsonObject Body(ForgeStatus status)
    {
        var body = new JsonObject
        {
            ["state"] = StateName(status.State),
            [config.Provider == ForgeProvider.GitLab ? "name" : "context"] = status.Context,
            ["description"] = status.Description,
        };
        if (status.TargetUrl is { } url)
        {
            body["target_url"] = url;
        }

        return body;
    }

    /// <summary>The newest status named <paramref name="context"/> in a listing; null when there is none (or a state we do not post).</summary>
    public ForgeStatus? Latest(JsonNode? listing, string context)
    {
        foreach (var item in (listing as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = Text(item, config.Provider == ForgeProvider.GitLab ? "name" : "context");
            if (name != context)
            {
                continue;
            }

            // GitHub lists "state"; GitLab and Gitea list "status" (Gitea posts "state").
            var state = Parse(Text(item, "state") ?? Text(item, "status"));
            return state is { } s ? new ForgeStatus(context, s, Text(item, "description") ?? string.Empty) : null;
        }

        return null;
    }

    public string StateName(CommitState state) => state switch
    {
        CommitState.Pending => "pending",
        CommitState.Success => "success",
        _ => config.Provider == ForgeProvider.GitLab ? "failed" : "failure",
    };

    private static CommitState? Parse(string? state) => state switch
    {
        "pending" => CommitState.Pending,
        "success" => CommitState.Success,
        "failure" or "failed" => CommitState.Failure,
        _ => null,
    };

    private string OwnerName => string.Join('/', config.Repository.Split('/').Select(Uri.EscapeDataString));

    private string Project => Uri.EscapeDataString(config.Repository);

    private static string? Text(JsonObject item, string key) =>
        item[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
