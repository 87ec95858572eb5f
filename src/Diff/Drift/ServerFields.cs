using System.Text.Json.Nodes;

namespace GitOps.Diff.Drift;

/// <summary>
/// What the server writes and a manifest never sets: bookkeeping metadata and status. Drift is
/// decided without them, so a controller updating status or a resourceVersion bump is not drift.
/// </summary>
public static class ServerFields
{
    private static readonly string[] Metadata =
    [
        "resourceVersion", "uid", "generation", "managedFields", "creationTimestamp", "selfLink",
    ];

    /// <summary>A copy of <paramref name="obj"/> without server-owned fields.</summary>
    public static JsonObject Strip(JsonObject obj)
    {
        var copy = obj.DeepClone().AsObject();
        copy.Remove("status");
        if (copy["metadata"] is JsonObject metadata)
        {
            foreach (var field in Metadata)
            {
                metadata.Remove(field);
            }

            RemoveIfEmpty(metadata, "annotations");
            RemoveIfEmpty(metadata, "labels");
        }

        return copy;
    }

    private static void RemoveIfEmpty(JsonObject obj, string key)
    {
        if (obj[key] is JsonObject { Count: 0 })
        {
            obj.Remove(key);
        }
    }
}
