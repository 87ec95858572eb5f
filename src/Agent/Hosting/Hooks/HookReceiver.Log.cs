using Microsoft.Extensions.Logging;

namespace GitOps.Agent.Hosting.Hooks;

/// <summary>Log events of the webhook receivers: ids 40–49. Secrets, signatures and bodies are never logged.</summary>
internal sealed partial class HookReceiver
{
    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "hook {Receiver}: push to {Ref} of {Repository} wakes {Targets}")]
    private static partial void LogWoken(ILogger logger, string receiver, string @ref, string repository, IReadOnlyList<string> targets);

    [LoggerMessage(EventId = 41, Level = LogLevel.Information, Message = "hook {Receiver}: push to {Ref} of {Repository} concerns no target")]
    private static partial void LogNoTarget(ILogger logger, string receiver, string @ref, string repository);

    [LoggerMessage(EventId = 42, Level = LogLevel.Warning, Message = "hook {Receiver}: signature {Problem}; the delivery is ignored")]
    private static partial void LogBadSignature(ILogger logger, string receiver, string problem);

    [LoggerMessage(EventId = 43, Level = LogLevel.Error, Message = "hook {Receiver}: cannot read the secret file {File} ({Error}); every delivery is refused")]
    private static partial void LogNoSecret(ILogger logger, string receiver, string file, string error);

    [LoggerMessage(EventId = 44, Level = LogLevel.Information, Message = "hook {Receiver}: delivery {Delivery} was seen already; ignored")]
    private static partial void LogReplay(ILogger logger, string receiver, string delivery);

    [LoggerMessage(EventId = 45, Level = LogLevel.Warning, Message = "hook {Receiver}: body refused with {Status}")]
    private static partial void LogRefusedBody(ILogger logger, string receiver, int status);
}
