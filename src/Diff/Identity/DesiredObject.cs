using System.Text.Json.Nodes;
using GitOps.Diff.Render;

namespace GitOps.Diff.Identity;

/// <summary>A validated object of the revision, namespace defaulted, ready to plan.</summary>
public sealed record DesiredObject(ResourceKey Key, string ApiVersion, JsonObject Object, SourceLocation Source)
{
    public string Version => GroupKind.SplitApiVersion(ApiVersion).Version;
}
