using System.Text.Json.Nodes;
using GitOps.Agent.Kube;
using GitOps.Diff.Drift;
using GitOps.Diff.Identity;

namespace GitOps.Agent.Sync;

/// <summary>One desired object on its way through a pass: what we send, what is live, what the server predicts.</summary>
internal sealed class PlannedObject(DesiredObject desired, JsonObject body, string appliedHash)
{
    public DesiredObject Desired { get; } = desired;

    public ResourceKey Key => Desired.Key;

    /// <summary>The manifest with our part-of label: exactly what is applied.</summary>
    public JsonObject Body { get; } = body;

    public string AppliedHash { get; } = appliedHash;

    /// <summary>Null until discovery serves the kind (a CRD in the same revision).</summary>
    public ApiResource? Resource { get; set; }

    public JsonObject? Live { get; set; }

    /// <summary>Validated after the definitions stage: its kind or its namespace comes with this revision.</summary>
    public bool Deferred { get; set; }

    /// <summary>Fields owned by kubectl or a client-side apply are to be taken over before applying.</summary>
    public bool TakeOver { get; set; }

    /// <summary>An immutable field changed and the manifest allows delete-and-recreate.</summary>
    public bool Recreate { get; set; }

    public DriftResult Drift { get; set; } = DriftResult.Unchanged;

    /// <summary>The object as the server returned it from the real apply.</summary>
    public JsonObject? Applied { get; set; }

    /// <summary>The hash of our owned fields after this pass (for the inventory).</summary>
    public string? OwnedHash { get; set; }

    /// <summary>Why the object failed, already free of Secret values.</summary>
    public string? Error { get; set; }

    public bool NeedsApply => Error is null && (Drift.Action is SyncAction.Created or SyncAction.Configured || TakeOver || Recreate);

    public string Path => Resource!.Path(Key.Namespace, Key.Name);

    /// <summary>The newest state we know, for health and display.</summary>
    public JsonObject? Current => Applied ?? Live;
}
