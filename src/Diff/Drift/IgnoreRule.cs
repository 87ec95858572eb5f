using System.Text.Json.Nodes;
using GitOps.Diff.Identity;

namespace GitOps.Diff.Drift;

/// <summary>
/// Fields left out of the comparison (e.g. <c>/spec/replicas</c> of a Deployment an HPA scales),
/// for objects matching every non-null selector. Pointers are RFC 6901 JSON pointers.
/// </summary>
public sealed record IgnoreRule(string? Group, string? Kind, string? Namespace, string? Name, IReadOnlyList<string> JsonPointers)
{
    public bool Matches(ResourceKey key) =>
        (Group is null || Group == key.Group)
        && (Kind is null || Kind == key.Kind)
        && (Namespace is null || Namespace == key.Namespace)
        && (Name is null || Name == key.Name);

    /// <summary>Removes every pointer of every matching rule from <paramref name="obj"/> (in place).</summary>
    public static void Apply(IEnumerable<IgnoreRule> rules, ResourceKey key, JsonObject obj)
    {
        foreach (var pointer in rules.Where(r => r.Matches(key)).SelectMany(r => r.JsonPointers))
        {
            Remove(obj, pointer);
        }
    }

    /// <summary>
    /// A copy of <paramref name="body"/> where every ignored field holds the value it has in
    /// <paramref name="live"/> (or is absent when live has none): what an apply sends so that a
    /// field under an ignore rule is never put back. Pointers into arrays are left as they are.
    /// </summary>
    public static JsonObject WithLiveValues(IEnumerable<IgnoreRule> rules, ResourceKey key, JsonObject body, JsonObject live)
    {
        var result = body.DeepClone().AsObject();
        foreach (var pointer in rules.Where(r => r.Matches(key)).SelectMany(r => r.JsonPointers))
        {
            var tokens = Tokens(pointer);
            if (ThroughArray(result, tokens) || ThroughArray(live, tokens))
            {
                continue; // an index names another element in live than in git (injected sidecars, order): never copy or drop by it
            }

            if (tokens.Length == 0 || Parent(live, tokens) is not JsonObject liveParent)
            {
                Remove(result, pointer);
                continue;
            }

            if (liveParent[tokens[^1]] is not { } value)
            {
                Remove(result, pointer);
                continue;
            }

            if (EnsureParent(result, tokens) is { } parent)
            {
                parent[tokens[^1]] = value.DeepClone();
            }
        }

        return result;
    }

    private static string[] Tokens(string pointer) =>
        pointer.Split('/').Skip(1).Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();

    private static JsonNode? Parent(JsonObject obj, string[] tokens)
    {
        JsonNode? node = obj;
        for (var i = 0; i < tokens.Length - 1 && node is not null; i++)
        {
            node = node switch
            {
                JsonObject o => o[tokens[i]],
                JsonArray a when int.TryParse(tokens[i], out var idx) && idx < a.Count => a[idx],
                _ => null,
            };
        }

        return node;
    }

    private static bool ThroughArray(JsonObject obj, string[] tokens)
    {
        JsonNode? node = obj;
        for (var i = 0; i < tokens.Length - 1 && node is JsonObject o; i++)
        {
            node = o[tokens[i]];
        }

        return node is JsonArray;
    }

    /// <summary>The object holding the pointer's last token, made along mapping paths when missing; null through arrays.</summary>
    private static JsonObject? EnsureParent(JsonObject obj, string[] tokens)
    {
        var node = obj;
        foreach (var token in tokens[..^1])
        {
            if (node[token] is JsonObject next)
            {
                node = next;
            }
            else if (node[token] is null)
            {
                node[token] = next = [];
                node = next;
            }
            else
            {
                return null;
            }
        }

        return node;
    }

    private static void Remove(JsonObject obj, string pointer)
    {
        var tokens = Tokens(pointer);
        var node = Parent(obj, tokens);
        switch (node)
        {
            case JsonObject parent when tokens.Length > 0:
                parent.Remove(tokens[^1]);
                break;
            case JsonArray array when tokens.Length > 0 && int.TryParse(tokens[^1], out var index) && index < array.Count:
                array.RemoveAt(index);
                break;
        }
    }
}
