namespace GitOps.Diff.Health;

/// <summary>
/// One entry of <c>status.conditions</c> as every controller writes it. Missing fields read as
/// empty strings: controllers often omit reason and message, and the rules only compare them.
/// </summary>
internal sealed record HealthCondition(string Type, string Status, string Reason, string Message)
{
    public bool IsTrue => Status == "True";

    public bool IsFalse => Status == "False";

    /// <summary>The controller's own explanation, best first, for reasons shown to people.</summary>
    public string Explanation(string fallback) =>
        Message.Length > 0 ? Message : Reason.Length > 0 ? Reason : fallback;
}
