namespace GitOps.Diff.Render;

/// <summary>
/// Invalid input: a manifest that cannot be read or is not a valid object. The message always
/// starts with the location (<c>file:line:column: …</c>) and never carries a Secret value.
/// </summary>
public sealed class ManifestException : Exception
{
    public ManifestException(SourceLocation location, string reason, Exception? inner = null)
        : base($"{location}: {reason}", inner)
    {
        Location = location;
        Reason = reason;
    }

    public SourceLocation Location { get; }

    public string Reason { get; }
}
