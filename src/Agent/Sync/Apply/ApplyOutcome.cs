using System.Text.Json.Nodes;
using GitOps.Diff.Identity;

namespace GitOps.Agent.Sync;

/// <summary>What the applier did with one writing decision: a closed set.</summary>
internal abstract record ApplyOutcome(Decision Decision)
{
    public ResourceKey Key => Decision.Key;

    /// <summary>Written; <paramref name="Result"/> is the object the server returned, <paramref name="OwnedHash"/> our fields' hash.</summary>
    public sealed record Applied(Decision Decision, JsonObject Result, string OwnedHash) : ApplyOutcome(Decision);

    /// <summary>The server refused the write (or a CRD did not become Established); <paramref name="Error"/> is redacted.</summary>
    public sealed record Failed(Decision Decision, string Error) : ApplyOutcome(Decision);
}
