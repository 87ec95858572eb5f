using Microsoft.Extensions.Logging;

namespace GitOps.Agent.Git;

public sealed partial class GitSource
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Debug, Message = "Read {Repository} {Wanted} at {Commit}: {Files} manifest files, {Fetches} fetches")]
    private static partial void LogRevision(ILogger logger, string repository, string wanted, string commit, int files, int fetches);
}
