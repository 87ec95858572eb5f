using System.Reflection;
using GitOps.Agent.Hosting;
using Microsoft.Extensions.Logging;

namespace GitOps.Agent.Tests.Hosting;

/// <summary>
/// The event-id scheme of the agent's logs: each component owns a range, so a log filter or an
/// alert on an id means one thing. A new <c>[LoggerMessage]</c> must take a free id of its
/// component's range, and a new component a range of its own in the table below (README: "Logs").
/// </summary>
public sealed class LogEventIdsTests
{
    private static readonly (string Type, int From, int To)[] Ranges =
    [
        ("StatusServer", 1, 9),
        ("TargetWorker", 10, 19),
        ("PassLogReporter", 10, 19),
        ("ReporterFailures", 10, 19),
        ("LeaderGate", 20, 29),
        ("WatchCache", 30, 39),
        ("HookReceiver", 40, 49),
        ("GitSource", 1100, 1199),
        ("GitNotesStatus", 1200, 1299),
        ("ShardGate", 1300, 1399),
    ];

    private static readonly List<(string Type, string Method, int Id)> Messages = typeof(AgentConfig).Assembly.GetTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
            .Select(m => (Type: t.Name, Method: m.Name, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>())))
        .Where(m => m.Attribute is not null)
        .Select(m => (m.Type, m.Method, m.Attribute!.EventId))
        .ToList();

    [Fact]
    public void LoggerMessages_EachId_IsUsedOnce()
    {
        Assert.NotEmpty(Messages);
        var reused = Messages.GroupBy(m => m.Id).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => $"{m.Type}.{m.Method}"))}");

        Assert.Empty(reused);
    }

    [Fact]
    public void LoggerMessages_EachId_IsInItsComponentsRange()
    {
        var outside = Messages
            .Where(m => !Ranges.Any(r => r.Type == m.Type && m.Id >= r.From && m.Id <= r.To))
            .Select(m => $"{m.Type}.{m.Method}: {m.Id}");

        Assert.Empty(outside);
    }
}
