namespace GitOps.Agent.Sync;

internal static class Revisions
{
    /// <summary>The 12-character commit prefix the reports and notes show.</summary>
    public static string Short(string sha) => sha.Length > 12 ? sha[..12] : sha;
}
