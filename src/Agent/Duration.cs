using System.Globalization;
using System.Text.RegularExpressions;

namespace GitOps.Agent;

/// <summary>Durations as Kubernetes users write them: <c>90s</c>, <c>5m</c>, <c>1h30m</c>, <c>500ms</c>.</summary>
internal static partial class Duration
{
    public static TimeSpan Parse(string text)
    {
        var matches = Part().Matches(text);
        if (text.Length == 0 || string.Concat(matches.Select(m => m.Value)) != text)
        {
            throw new FormatException($"'{text}' is not a duration (examples: 30s, 5m, 1h30m)");
        }

        return matches.Aggregate(TimeSpan.Zero, (sum, m) => sum + Unit(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[2].Value));
    }

    private static TimeSpan Unit(double n, string unit) => unit switch
    {
        "ms" => TimeSpan.FromMilliseconds(n),
        "s" => TimeSpan.FromSeconds(n),
        "m" => TimeSpan.FromMinutes(n),
        _ => TimeSpan.FromHours(n),
    };

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|s|m|h)")]
    private static partial Regex Part();
}
