using System.Text.Json.Nodes;

namespace GitOps.Diff.Drift;

/// <summary>One changed field, for display: a path like <c>spec.template.spec.containers[name=web].image</c>.</summary>
public sealed record FieldChange(string Path, JsonNode? Old, JsonNode? New)
{
    public override string ToString() => (Old, New) switch
    {
        (null, _) => $"+ {Path}: {Text(New)}",
        (_, null) => $"- {Path}: {Text(Old)}",
        _ => $"~ {Path}: {Text(Old)} → {Text(New)}",
    };

    private static string Text(JsonNode? node) => node?.ToJsonString() ?? "null";
}

/// <summary>The verdict on one object and, when configured, the fields that move.</summary>
public sealed record DriftResult(SyncAction Action, IReadOnlyList<FieldChange> Changes)
{
    public static DriftResult Unchanged { get; } = new(SyncAction.Unchanged, []);

    public static DriftResult Created { get; } = new(SyncAction.Created, []);
}
