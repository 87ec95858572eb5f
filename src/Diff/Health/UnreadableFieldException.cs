namespace GitOps.Diff.Health;

/// <summary>
/// A field the rules need has the wrong JSON type. kstatus answers such objects with an error
/// that callers report as Unknown; throwing this from deep inside a rule and catching it once in
/// <see cref="HealthAssessor.Assess"/> gives the same answer without threading errors through
/// every rule. It never leaves the library.
/// </summary>
internal sealed class UnreadableFieldException : Exception
{
    public UnreadableFieldException()
    {
    }

    public UnreadableFieldException(string message)
        : base(message)
    {
    }

    public UnreadableFieldException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
