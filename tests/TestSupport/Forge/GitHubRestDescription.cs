using System.Globalization;
using System.Text.Json.Nodes;

namespace GitOps.TestSupport.Forge;

/// <summary>
/// GitHub's own description of its REST API (OpenAPI 3.0, <c>@octokit/openapi</c>), read to check
/// what the agent sends: that an operation with that method and path exists, that every query
/// parameter is one it declares (of its type), and that the body holds the required fields, only
/// declared ones, of their types and enums. The description says nothing about authentication
/// headers or the API version header; those are checked by the tests that set them.
/// </summary>
internal sealed class GitHubRestDescription
{
    private static readonly Lazy<GitHubRestDescription> Loaded = new(() =>
        new(JsonNode.Parse(File.ReadAllText(OctokitPackages.File("@octokit/openapi", "generated/api.github.com.json")))!.AsObject()));

    private readonly JsonObject root;

    private GitHubRestDescription(JsonObject root) => this.root = root;

    public static GitHubRestDescription Instance => Loaded.Value;

    /// <summary>The package's version (the description's <c>info.version</c>).</summary>
    public string Version => (string)root["info"]!["version"]!;

    /// <summary>The operation at <paramref name="template"/> (e.g. <c>/repos/{owner}/{repo}/statuses/{sha}</c>), or an error naming what is missing.</summary>
    public JsonObject Operation(string method, string template) =>
        root["paths"]?[template]?[method.ToLowerInvariant()] as JsonObject
            ?? throw new InvalidOperationException($"GitHub's description {Version} has no {method} {template}");

    /// <summary>The JSON body schema of an operation, with its references resolved and OpenAPI's <c>nullable</c> made JSON Schema.</summary>
    public JsonObject BodySchema(string method, string template) =>
        Resolve(Operation(method, template)["requestBody"]?["content"]?["application/json"]?["schema"]
            ?? throw new InvalidOperationException($"{method} {template} takes no JSON body in GitHub's description"));

    /// <summary>
    /// What is wrong with <paramref name="request"/> by GitHub's description; empty when it conforms.
    /// <paramref name="basePath"/> is the API base's path (GitHub Enterprise: <c>/api/v3</c>).
    /// </summary>
    public IReadOnlyList<string> Check(ForgeRequest request, string basePath = "")
    {
        var path = request.Path.StartsWith(basePath, StringComparison.Ordinal) ? request.Path[basePath.Length..] : request.Path;
        var template = Template(request.Method, path);
        if (template is null)
        {
            return [$"{request.Method} {path}: no such operation in GitHub's description {Version}"];
        }

        var operation = Operation(request.Method, template);
        var problems = new List<string>();
        CheckQuery(request, operation, problems);
        CheckBody(request, template, operation, problems);
        return problems.Select(p => $"{request.Method} {template}: {p}").ToList();
    }

    private string? Template(string method, string path)
    {
        var segments = path.Split('/');
        return root["paths"]!.AsObject()
            .Where(p => p.Value?[method.ToLowerInvariant()] is not null)
            .Select(p => p.Key)
            .FirstOrDefault(t => Matches(t.Split('/'), segments));
    }

    private static bool Matches(string[] template, string[] segments) =>
        template.Length == segments.Length
        && template.Zip(segments).All(p => p.First.StartsWith('{') ? p.Second.Length > 0 : p.First == Uri.UnescapeDataString(p.Second));

    private void CheckQuery(ForgeRequest request, JsonObject operation, List<string> problems)
    {
        var declared = (operation["parameters"] as JsonArray ?? []).Select(p => Resolve(p!))
            .Where(p => (string?)p["in"] == "query")
            .ToDictionary(p => (string)p["name"]!);
        var query = request.RawTarget.Contains('?', StringComparison.Ordinal) ? request.RawTarget[(request.RawTarget.IndexOf('?', StringComparison.Ordinal) + 1)..] : "";
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (name, value) = pair.Split('=', 2) is [var n, var v] ? (n, Uri.UnescapeDataString(v)) : (pair, "");
            if (!declared.TryGetValue(name, out var parameter))
            {
                problems.Add($"query parameter '{name}' is not declared");
            }
            else if ((string?)parameter["schema"]?["type"] == "integer" && !long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
            {
                problems.Add($"query parameter '{name}={value}' is not an integer");
            }
        }
    }

    private void CheckBody(ForgeRequest request, string template, JsonObject operation, List<string> problems)
    {
        var required = (bool?)operation["requestBody"]?["required"] == true;
        if (request.Body is null)
        {
            if (required)
            {
                problems.Add("the body is required");
            }

            return;
        }

        if (request.Headers.GetValueOrDefault("Content-Type")?.StartsWith("application/json", StringComparison.Ordinal) != true)
        {
            problems.Add($"Content-Type '{request.Headers.GetValueOrDefault("Content-Type")}' is not application/json");
        }

        var schema = BodySchema(request.Method, template);
        schema["additionalProperties"] = false; // stricter than GitHub, which ignores unknown fields: a misspelled one is a bug
        problems.AddRange(JsonSchemaCheck.Problems(schema.ToJsonString(), request.Body));
    }

    /// <summary>A copy of <paramref name="node"/> with every <c>$ref</c> into the description replaced by what it points at.</summary>
    private JsonObject Resolve(JsonNode node) => (JsonObject)Inline(node.DeepClone(), depth: 0);

    private JsonNode Inline(JsonNode node, int depth)
    {
        if (depth > 32)
        {
            throw new InvalidOperationException("references in GitHub's description nest deeper than 32 levels");
        }

        switch (node)
        {
            case JsonObject o when o["$ref"] is JsonValue r && ((string?)r)?.StartsWith("#/", StringComparison.Ordinal) == true:
                return Inline(Pointer((string)r!).DeepClone(), depth + 1);
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList())
                {
                    o[key] = o[key] is { } child ? Inline(child.DeepClone(), depth) : null;
                }

                // OpenAPI 3.0's nullable is JSON Schema's type: [T, "null"].
                if ((bool?)o["nullable"] == true && o["type"] is JsonValue type)
                {
                    o["type"] = new JsonArray((string)type!, "null");
                    o.Remove("nullable");
                }

                return o;
            case JsonArray a:
                return new JsonArray([.. a.Select(item => item is null ? null : Inline(item.DeepClone(), depth))]);
            default:
                return node;
        }
    }

    private JsonNode Pointer(string reference)
    {
        JsonNode? at = root;
        foreach (var part in reference[2..].Split('/'))
        {
            at = at?[part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)];
        }

        return at ?? throw new InvalidOperationException($"GitHub's description has no {reference}");
    }
}
