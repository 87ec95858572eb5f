using System.Diagnostics;

namespace GitOps.Agent;

/// <summary>
/// Where a run spends its time, for start-up work: with <c>GITOPS_TIMING=1</c> each mark is
/// written to stderr as milliseconds since the process started (runtime start included), with
/// every API request's start and end. Off, a mark costs one static read.
/// </summary>
internal static class PhaseClock
{
    public static bool Enabled { get; } = Environment.GetEnvironmentVariable("GITOPS_TIMING") == "1";

    private static readonly DateTime Started = Enabled ? Process.GetCurrentProcess().StartTime.ToUniversalTime() : default;

    public static void Mark(string what)
    {
        if (Enabled)
        {
            Console.Error.WriteLine($"timing: {(DateTime.UtcNow - Started).TotalMilliseconds,8:F1} ms  {what}");
        }
    }
}
