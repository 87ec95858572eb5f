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

    private static void Remove(JsonObject obj, string pointer)
    {
        var tokens = pointer.Split('/').Skip(1).Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
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
