using System.Text.Json.Nodes;
using GitOps.Diff.Json;

namespace GitOps.Diff.Ownership;

/// <summary>
/// Reads <c>metadata.managedFields</c>: which fields a field manager owns (a FieldsV1 set), the
/// live values of exactly those fields, and the union of two sets. The agent hashes "the
/// values of the fields we own" to tell, from a LIST alone, that nothing it manages moved:
/// controllers writing other fields (status, annotations, allocated IPs) do not disturb it,
/// and a field someone else took over changes the set, so it is noticed.
/// </summary>
public static class ManagedFields
{
    /// <summary>The FieldsV1 set owned by <paramref name="manager"/> through <paramref name="operation"/>, or null.</summary>
    public static JsonObject? Owned(JsonObject obj, string manager, string operation = "Apply") =>
        Entries(obj).FirstOrDefault(e => (string?)e["manager"] == manager && (string?)e["operation"] == operation)?["fieldsV1"] as JsonObject;

    public static IEnumerable<JsonObject> Entries(JsonObject obj) =>
        obj["metadata"]?["managedFields"] is JsonArray entries ? entries.OfType<JsonObject>() : [];

    /// <summary>Hash of the values of the fields <paramref name="manager"/> owns; changes when either moves.</summary>
    public static string OwnedHash(JsonObject obj, string manager)
    {
        var set = Owned(obj, manager);
        return set is null ? string.Empty : CanonicalJson.Hash(Project(obj, set));
    }

    /// <summary>The part of <paramref name="node"/> covered by the FieldsV1 set <paramref name="set"/>.</summary>
    public static JsonNode? Project(JsonNode? node, JsonObject set)
    {
        if (IsLeaf(set) || node is null)
        {
            return node?.DeepClone();
        }

        return node switch
        {
            JsonObject obj => ProjectObject(obj, set),
            JsonArray array => ProjectArray(array, set),
            _ => node.DeepClone(),
        };
    }

    /// <summary>The union of two FieldsV1 sets (for taking over another manager's fields).</summary>
    public static JsonObject Union(JsonObject a, JsonObject b)
    {
        var result = a.DeepClone().AsObject();
        foreach (var (key, value) in b)
        {
            result[key] = result[key] is JsonObject mine && value is JsonObject theirs
                ? Union(mine, theirs)
                : value?.DeepClone();
        }

        return result;
    }

    private static JsonObject ProjectObject(JsonObject obj, JsonObject set)
    {
        var result = new JsonObject();
        foreach (var (key, sub) in set)
        {
            if (key.StartsWith("f:", StringComparison.Ordinal) && obj.TryGetPropertyValue(key[2..], out var child))
            {
                result[key[2..]] = Project(child, sub as JsonObject ?? []);
            }
        }

        return result;
    }

    private static JsonArray ProjectArray(JsonArray array, JsonObject set)
    {
        var result = new JsonArray();
        for (var i = 0; i < array.Count; i++)
        {
            var item = array[i];
            foreach (var (key, sub) in set)
            {
                if (ItemMatches(key, item, i))
                {
                    result.Add(Project(item, sub as JsonObject ?? []));
                    break;
                }
            }
        }

        return result;
    }

    /// <summary>List members are named <c>k:{keys}</c> (by key fields), <c>v:value</c> (sets) or <c>i:N</c>.</summary>
    private static bool ItemMatches(string key, JsonNode? item, int index)
    {
        if (key.StartsWith("i:", StringComparison.Ordinal))
        {
            return key[2..] == index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (key.StartsWith("v:", StringComparison.Ordinal))
        {
            return JsonEquality.Equal(JsonNode.Parse(key[2..]), item);
        }

        if (key.StartsWith("k:", StringComparison.Ordinal) && item is JsonObject obj && JsonNode.Parse(key[2..]) is JsonObject keys)
        {
            return keys.All(k => JsonEquality.Equal(k.Value, obj[k.Key]));
        }

        return false;
    }

    private static bool IsLeaf(JsonObject set) => set.All(p => p.Key == ".");
}
