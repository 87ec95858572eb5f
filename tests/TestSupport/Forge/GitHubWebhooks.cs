using System.Text.Json.Nodes;

namespace GitOps.TestSupport.Forge;

/// <summary>
/// GitHub webhook deliveries as GitHub sends them: built from the real example payloads of
/// <c>@octokit/webhooks-examples</c> (only the ref, the commits and the repository's clone URL
/// changed), and checked against the event schemas of <c>@octokit/webhooks-schemas</c>.
/// </summary>
internal static class GitHubWebhooks
{
    private static readonly Lazy<JsonArray> Examples = new(() =>
        JsonNode.Parse(File.ReadAllText(OctokitPackages.File("@octokit/webhooks-examples", "api.github.com/index.json")))!.AsArray());

    private static readonly Lazy<string> Schemas = new(() => File.ReadAllText(OctokitPackages.File("@octokit/webhooks-schemas", "schema.json")));

    /// <summary>
    /// A push event of <paramref name="reference"/> from <paramref name="before"/> to <paramref name="after"/> whose
    /// <c>repository.clone_url</c> is <paramref name="cloneUrl"/>; the other addresses given replace the
    /// example's, and those not given stay the example's (github.com/Codertocat/Hello-World), which no test target follows.
    /// </summary>
    public static JsonObject Push(string cloneUrl, string reference, string before, string after, string? sshUrl = null, string? htmlUrl = null, string? gitUrl = null)
    {
        var push = Example("push", e => ((string?)e["ref"])?.StartsWith("refs/heads/", StringComparison.Ordinal) == true && e["head_commit"] is JsonObject);
        push["ref"] = reference;
        push["before"] = before;
        push["after"] = after;
        push["head_commit"]!["id"] = after;
        push["commits"] = new JsonArray(push["head_commit"]!.DeepClone());
        var repository = push["repository"]!;
        repository["clone_url"] = cloneUrl;
        foreach (var (field, url) in new[] { ("ssh_url", sshUrl), ("html_url", htmlUrl), ("git_url", gitUrl) })
        {
            if (url is not null)
            {
                repository[field] = url;
            }
        }

        return push;
    }

    /// <summary>
    /// The ping GitHub sends when a webhook is created: the first example of a repository hook that
    /// today's schema accepts (the older examples lack fields GitHub has added since, such as <c>hook.deliveries_url</c>).
    /// </summary>
    public static JsonObject Ping() => Example("ping", e => e["repository"] is JsonObject && Check("ping", e).Count == 0);

    /// <summary>What is wrong with <paramref name="payload"/> as a GitHub <paramref name="eventName"/> event (X-GitHub-Event); empty when it conforms.</summary>
    public static IReadOnlyList<string> Check(string eventName, JsonNode payload)
    {
        var schema = JsonNode.Parse(Schemas.Value)!.AsObject();
        var definition = $"{eventName}$event";
        if (schema["definitions"]?[definition] is null)
        {
            return [$"@octokit/webhooks-schemas has no event '{eventName}'"];
        }

        schema.Remove("oneOf"); // the root accepts any event; check against the one named
        schema["allOf"] = new JsonArray(new JsonObject { ["$ref"] = $"#/definitions/{definition}" });
        return JsonSchemaCheck.Problems(schema.ToJsonString(), payload);
    }

    private static JsonObject Example(string name, Func<JsonObject, bool> fits)
    {
        var examples = Examples.Value.OfType<JsonObject>().FirstOrDefault(e => (string?)e["name"] == name)?["examples"] as JsonArray
            ?? throw new InvalidOperationException($"@octokit/webhooks-examples has no '{name}' examples");
        var example = examples.OfType<JsonObject>().FirstOrDefault(fits)
            ?? throw new InvalidOperationException($"@octokit/webhooks-examples has no fitting '{name}' example");
        return example.DeepClone().AsObject();
    }
}
