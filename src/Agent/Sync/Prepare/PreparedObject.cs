using System.Text.Json.Nodes;
using GitOps.Agent.Kube;
using GitOps.Diff.Identity;

namespace GitOps.Agent.Sync;

/// <summary>
/// A validated object of the revision, ready to be sent: the manifest with our part-of label
/// (<see cref="Body"/>, exactly what is applied), its hash, and the resource that serves its kind
/// (null while the kind is not served yet: a CRD of the same revision defines it).
/// </summary>
internal sealed record PreparedObject(DesiredObject Desired, JsonObject Body, string AppliedHash, ApiResource? Resource)
{
    public ResourceKey Key => Desired.Key;

    /// <summary>Its sync wave (gitops.dev/sync-wave or an alias; default 0).</summary>
    public int Wave { get; init; }

    /// <summary>The object's REST path; only for objects whose kind is served.</summary>
    public string Path => (Resource ?? throw new InvalidOperationException($"{Key}: kind not resolved")).Path(Key.Namespace, Key.Name);
}
