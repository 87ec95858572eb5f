using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Agent.Hosting.Hooks;

/// <summary>What a verified delivery asks for.</summary>
internal enum HookEventKind
{
    /// <summary>A forge checking that the hook works: answered 200, nothing else.</summary>
    Ping,

    /// <summary>An event the agent has no use for (issues, tags, merge requests): 200, nothing else.</summary>
    Ignored,

    /// <summary>Commits were pushed to <see cref="HookEvent.Ref"/> of the repository at <see cref="HookEvent.Urls"/>.</summary>
    Push,

    /// <summary>A push event whose body cannot be read: 400.</summary>
    Malformed,
}

/// <summary>
/// A delivery read from its event header and body: which repository (every address the forge
/// names it by) and which ref. Nothing here is trusted beyond "wake the targets that follow it":
/// the worker asks the remote for the head itself.
/// </summary>
internal sealed record HookEvent(HookEventKind Kind, string Name, IReadOnlyList<string> Urls, string? Ref)
{
    /// <summary>Where each forge's push payload names the repository, and the header that names the event.</summary>
    private static readonly Dictionary<ReceiverType, (string Header, string Push, string? Ping, string Holder, string[] Fields)> Shapes = new()
    {
        [ReceiverType.GitHub] = ("X-GitHub-Event", "push", "ping", "repository", ["clone_url", "ssh_url", "html_url", "git_url"]),
        [ReceiverType.GitLab] = ("X-Gitlab-Event", "Push Hook", null, "project", ["git_http_url", "git_ssh_url", "web_url"]),
        [ReceiverType.Gitea] = ("X-Gitea-Event", "push", null, "repository", ["clone_url", "ssh_url", "html_url"]),
    };

    /// <summary>The event header for <paramref name="type"/>; null for generic-hmac, whose every delivery is a push.</summary>
    public static string? EventHeader(ReceiverType type) => Shapes.TryGetValue(type, out var s) ? s.Header : null;

    /// <summary>Reads a verified delivery; <paramref name="eventName"/> is the value of <see cref="EventHeader"/>.</summary>
    public static HookEvent Read(ReceiverType type, string? eventName, ReadOnlySpan<byte> body)
    {
        if (type == ReceiverType.GenericHmac)
        {
            return Push("push", Parse(body), "repository", ["repository"], root => root);
        }

        var shape = Shapes[type];
        var name = eventName ?? "";
        if (shape.Ping is not null && name == shape.Ping)
        {
            return new HookEvent(HookEventKind.Ping, name, [], null);
        }

        if (name != shape.Push)
        {
            return new HookEvent(HookEventKind.Ignored, name, [], null);
        }

        return Push(name, Parse(body), shape.Holder, shape.Fields, root => root[shape.Holder] as JsonObject);
    }

    private static HookEvent Push(string name, JsonObject? root, string holder, string[] fields, Func<JsonObject, JsonObject?> where)
    {
        var repository = root is null ? null : where(root);
        var reference = root?["ref"] is JsonValue r && r.TryGetValue<string>(out var s) ? s : null;
        var urls = repository is null ? [] : fields.Select(f => repository[f] is JsonValue v && v.TryGetValue<string>(out var u) ? u : null).OfType<string>().ToList();
        if (reference is null || urls.Count == 0)
        {
            var missing = reference is null ? "ref" : $"{holder} URL";
            return new HookEvent(HookEventKind.Malformed, $"{name} without a {missing}", [], null);
        }

        return new HookEvent(HookEventKind.Push, name, urls, reference);
    }

    private static JsonObject? Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
