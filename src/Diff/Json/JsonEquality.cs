using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Diff.Json;

/// <summary>
/// Semantic JSON equality: object key order is irrelevant and numbers compare as numbers
/// (1, 1.0 and 1e0 are equal), which is how the API server and kubectl see them.
/// </summary>
public static class JsonEquality
{
    public static bool Equal(JsonNode? a, JsonNode? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        return (a, b) switch
        {
            (JsonObject x, JsonObject y) => ObjectsEqual(x, y),
            (JsonArray x, JsonArray y) => ArraysEqual(x, y),
            (JsonValue x, JsonValue y) => ValuesEqual(x, y),
            _ => false,
        };
    }

    private static bool ObjectsEqual(JsonObject x, JsonObject y)
    {
        if (x.Count != y.Count)
        {
            return false;
        }

        foreach (var (key, value) in x)
        {
            if (!y.TryGetPropertyValue(key, out var other) || !Equal(value, other))
            {
                return false;
            }
        }

        return true;
    }

    private static bool ArraysEqual(JsonArray x, JsonArray y)
    {
        if (x.Count != y.Count)
        {
            return false;
        }

        for (var i = 0; i < x.Count; i++)
        {
            if (!Equal(x[i], y[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool ValuesEqual(JsonValue x, JsonValue y)
    {
        var kind = x.GetValueKind();
        if (kind != y.GetValueKind())
        {
            return false;
        }

        return kind switch
        {
            JsonValueKind.String => x.GetValue<string>() == y.GetValue<string>(),
            JsonValueKind.Number => NumbersEqual(x, y),
            _ => true, // true, false and null carry no further value
        };
    }

    /// <summary>
    /// Exact comparison: an int64 equals a double only when the double is exactly that integer,
    /// so 2^53 + 1 never equals 2^53 (a comparison through double would say it does).
    /// </summary>
    private static bool NumbersEqual(JsonValue x, JsonValue y)
    {
        var xIsLong = x.TryGetValue<long>(out var lx);
        var yIsLong = y.TryGetValue<long>(out var ly);
        return (xIsLong, yIsLong) switch
        {
            (true, true) => lx == ly,
            (true, false) => ExactInt64(AsDouble(y)) == lx,
            (false, true) => ExactInt64(AsDouble(x)) == ly,
            _ => AsDouble(x) == AsDouble(y),
        };
    }

    internal static double AsDouble(JsonValue v) =>
        v.TryGetValue<double>(out var d) ? d : double.Parse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The int64 a double is exactly equal to, if any.</summary>
    internal static long? ExactInt64(double d) =>
        Math.Floor(d) == d && d >= -9.2233720368547758E18 && d < 9.2233720368547758E18 ? (long)d : null;
}
