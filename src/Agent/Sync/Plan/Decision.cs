using GitOps.Diff.Drift;
using GitOps.Diff.Identity;

namespace GitOps.Agent.Sync;

/// <summary>
/// The planner's verdict on one object of the revision: a closed set. Whatever is reported
/// about the object later is this verdict (or the applier's outcome of it), never a rewrite.
/// </summary>
internal abstract record Decision(ObservedObject Object)
{
    public ResourceKey Key => Object.Key;

    public PreparedObject Prepared => Object.Prepared;

    /// <summary>Sends a write when applied.</summary>
    public bool Writes => this is Apply or TakeOver or Recreate;

    /// <summary>Nothing to send: the server predicts no change. <paramref name="OwnedHash"/> is for the inventory.</summary>
    public sealed record Unchanged(ObservedObject Object, string? OwnedHash) : Decision(Object);

    /// <summary>Server-side apply; <paramref name="Drift"/> says created or configured, and which fields.</summary>
    public sealed record Apply(ObservedObject Object, DriftResult Drift) : Decision(Object);

    /// <summary>Take over the fields kubectl owned, then apply (so fields removed from git really go).</summary>
    public sealed record TakeOver(ObservedObject Object, DriftResult Drift) : Decision(Object);

    /// <summary>An immutable field changed and the manifest allows it: delete, then create (validated first).</summary>
    public sealed record Recreate(ObservedObject Object) : Decision(Object);

    /// <summary>Judged after the definitions stage: its kind or namespace comes with this revision.</summary>
    public sealed record Defer(ObservedObject Object) : Decision(Object);

    /// <summary>The server (or a guard) refused it; <paramref name="Error"/> is free of Secret values.</summary>
    public sealed record Reject(ObservedObject Object, string Error) : Decision(Object);
}
