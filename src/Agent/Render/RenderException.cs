namespace GitOps.Agent.Render;

/// <summary>
/// A folder could not be rendered: the tool failed (its stderr, paths made repository paths),
/// timed out, printed too much, is missing, or the input loads what it must not. The message
/// names the target and folder; Secret values never appear in it.
/// </summary>
internal sealed class RenderException : Exception
{
    public RenderException(string message)
        : base(message)
    {
    }

    public RenderException(string message, Exception? inner)
        : base(message, inner)
    {
    }
}
