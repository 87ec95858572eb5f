namespace GitOps.Diff.Health;

/// <summary>
/// A CRD is usable once Established: only then does the API server serve its resources, which
/// is why the apply stages wait for it before applying custom resources.
/// </summary>
internal static class HealthCustomResourceDefinition
{
    public static HealthResult Assess(StatusReader obj)
    {
        // Checked first: a name clash with another CRD never resolves by waiting.
        if (obj.Condition("NamesAccepted") is { IsFalse: true } names)
        {
            return obj.Degraded($"names not accepted: {names.Explanation("name conflict")}");
        }

        var established = obj.Condition("Established");
        if (established is { IsTrue: true })
        {
            return obj.Healthy("established");
        }

        // False with reason Installing is the normal first seconds of a new CRD.
        return established is { IsFalse: true } && established.Reason != "Installing"
            ? obj.Degraded($"not established: {established.Explanation("no reason given")}")
            : obj.Progressing("installing");
    }
}
