namespace GitOps.Agent.Git;

/// <summary>A commit of a branch with the status entries its note holds (none when nobody reported).</summary>
public sealed record CommitStatus(
    string CommitSha,
    string Subject,
    string Author,
    DateTimeOffset CommitTime,
    IReadOnlyList<CommitStatusEntry> Entries);
