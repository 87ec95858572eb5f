using System.Net;

namespace GitOps.Agent.Kube;

/// <summary>
/// The API server refused a request. <see cref="Message"/> is the server's own message (from its
/// Status object); the predicates classify it so callers never match on text.
/// </summary>
internal sealed class KubeApiException(HttpStatusCode status, string reason, string message)
    : Exception(message)
{
    public HttpStatusCode Status { get; } = status;

    /// <summary>The Status reason: NotFound, Conflict, Invalid, Forbidden, AlreadyExists, …</summary>
    public string Reason { get; } = reason;

    /// <summary>The request's path without its query, when known: which collection or object was refused.</summary>
    public string? Path { get; init; }

    /// <summary>This refusal with the path (its query dropped) of the request it answered.</summary>
    public KubeApiException At(string path) =>
        new(Status, Reason, Message) { Path = path.Split('?')[0] };

    /// <summary>RBAC (or an impersonated account's lack of rights) refused the request.</summary>
    public bool IsForbidden => Status == HttpStatusCode.Forbidden;

    public bool IsNotFound => Status == HttpStatusCode.NotFound;

    public bool IsConflict => Status == HttpStatusCode.Conflict;

    /// <summary>A change to a field the server does not let change (a selector, a Job template).</summary>
    public bool IsImmutableField =>
        Status == HttpStatusCode.UnprocessableEntity && Message.Contains("field is immutable", StringComparison.Ordinal);

    /// <summary>A create refused because the object exists: everything before the existence check passed.</summary>
    public bool IsAlreadyExists => IsConflict && Reason == "AlreadyExists";
}
