namespace GitOps.Agent.Git;

/// <summary>The commit a rollback made.</summary>
/// <param name="CommitSha">The new commit, on top of the branch.</param>
/// <param name="Message">Its message, naming the commits it reverts.</param>
/// <param name="RevertedCommits">Full SHAs of the commits whose changes (to the path) it undoes, newest first.</param>
/// <param name="Pushed">Whether the branch on the remote now points at it.</param>
public sealed record RollbackResult(string CommitSha, string Message, IReadOnlyList<string> RevertedCommits, bool Pushed);
