using System.Globalization;

namespace GitOps.PodSimulator;

/// <summary>One line per event on stderr (eng/testenv.sh sends it to logs/podsim.log).</summary>
internal static class Log
{
    public static void Info(string message) =>
        Console.Error.WriteLine($"{DateTime.UtcNow.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)} {message}");
}
