using System.Text;
using LibGit2Sharp;

namespace GitOps.Agent.Git;

/// <summary>
/// The message of a rollback commit: a subject naming the target and the reverted commits, for
/// <c>git log --oneline</c>, and a body listing each reverted commit in full.
/// <code>
/// Revert to 1a2b3c4: reverts 9f8e7d6, 5c4b3a2
///
/// Restores deploy/prod to 1a2b3c4 ("Bump web to 1.4").
///
/// Reverted commits:
///   9f8e7d6…(40 hex) Bump web to 1.6
///   5c4b3a2…(40 hex) Bump web to 1.5
/// </code>
/// </summary>
internal static class RollbackMessage
{
    private const int ShaLength = 7;
    private const int MaxInSubject = 10;

    public static string Format(Commit target, IReadOnlyList<Commit> reverted, string path)
    {
        var named = reverted.Take(MaxInSubject).Select(c => c.Sha[..ShaLength]);
        var more = reverted.Count > MaxInSubject ? $" and {reverted.Count - MaxInSubject} more" : string.Empty;
        var message = new StringBuilder()
            .Append($"Revert to {target.Sha[..ShaLength]}: reverts {string.Join(", ", named)}{more}\n\n")
            .Append($"Restores {(path.Length == 0 ? "the whole tree" : path)} to {target.Sha[..ShaLength]} (\"{target.MessageShort}\").\n\n")
            .Append("Reverted commits:\n");
        foreach (var commit in reverted)
        {
            message.Append($"  {commit.Sha} {commit.MessageShort}\n");
        }

        return message.ToString();
    }
}
