using System.Text.Json.Nodes;
using GitOps.Diff.Json;

namespace GitOps.Diff.Drift;

/// <summary>
/// Field-level differences between two JSON trees, as display paths. Lists of objects that all
/// carry a unique <c>name</c> (containers, env, ports, volumes) are matched by name, so one
/// inserted container does not show every later one as changed.
/// </summary>
internal static class FieldDiff
{
    public static void Collect(string path, JsonNode? before, JsonNode? after, List<FieldChange> changes)
    {
        switch (before, after)
        {
            case (JsonObject b, JsonObject a):
                foreach (var key in b.Select(p => p.Key).Union(a.Select(p => p.Key)).Order(StringComparer.Ordinal))
                {
                    Collect(Join(path, key), b[key], a[key], changes);
                }

                break;
            case (JsonArray b, JsonArray a) when Named(b) is { } bn && Named(a) is { } an:
                foreach (var name in bn.Keys.Union(an.Keys))
                {
                    Collect($"{path}[name={name}]", bn.GetValueOrDefault(name), an.GetValueOrDefault(name), changes);
                }

                break;
            case (JsonArray b, JsonArray a):
                for (var i = 0; i < Math.Max(b.Count, a.Count); i++)
                {
                    Collect($"{path}[{i}]", i < b.Count ? b[i] : null, i < a.Count ? a[i] : null, changes);
                }

                break;
            default:
                if (!JsonEquality.Equal(before, after))
                {
                    changes.Add(new FieldChange(path, before?.DeepClone(), after?.DeepClone()));
                }

                break;
        }
    }

    private static Dictionary<string, JsonNode>? Named(JsonArray array)
    {
        var byName = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var item in array)
        {
            if (item is not JsonObject o || o["name"] is not JsonValue v || !v.TryGetValue<string>(out var name) || !byName.TryAdd(name, o))
            {
                return null;
            }
        }

        return byName.Count > 0 ? byName : null;
    }

    private static string Join(string path, string key)
    {
        var simple = key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
        return simple ? (path.Length == 0 ? key : $"{path}.{key}") : $"{path}[\"{key}\"]";
    }
}
