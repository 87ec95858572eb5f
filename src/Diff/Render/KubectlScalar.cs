using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace GitOps.Diff.Render;

/// <summary>
/// Resolves a plain (unquoted, untagged) YAML scalar exactly as kubectl does: go-yaml v2's
/// YAML 1.1 rules, then sigs.k8s.io/yaml's JSON conversion, then JSON decoding into int64 or
/// float64. Quoted and block scalars never come here: they are always strings.
/// </summary>
internal static partial class KubectlScalar
{
    private static readonly Dictionary<string, object?> Words = BuildWords();

    /// <summary>The resolved value: null, bool, long, double or string. Infinity and NaN throw.</summary>
    public static object? Resolve(string text)
    {
        if (text.Length == 0)
        {
            return null;
        }

        if (Words.TryGetValue(text, out var word))
        {
            return word is double d ? throw new FormatException(NotJson(d)) : word;
        }

        return text[0] switch
        {
            '.' => ParseFloat(text) ?? (object)text,
            '+' or '-' or (>= '0' and <= '9') => ResolveNumberLike(text),
            _ => text,
        };
    }

    /// <summary>A key as sigs.k8s.io/yaml writes it: scalars become their JSON text.</summary>
    public static string KeyText(object? resolved) => resolved switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        // go-yaml formats float keys with 32-bit precision ('g', -1, 32).
        double d => ((float)d).ToString("R", CultureInfo.InvariantCulture).Replace("E+", "e+", StringComparison.Ordinal),
        null => throw new FormatException("a null mapping key cannot be converted to JSON"),
        _ => throw new FormatException($"unsupported mapping key {resolved}"),
    };

    private static object ResolveNumberLike(string text)
    {
        // Timestamps stay strings when decoded into interface{} (go-yaml v2 compatibility rule).
        var plain = text.Replace("_", string.Empty, StringComparison.Ordinal);
        if (TryParseGoInteger(plain, out var integer))
        {
            return Normalize(integer);
        }

        if (YamlFloat().IsMatch(plain) && ParseFloat(plain) is { } f)
        {
            return f;
        }

        return text;
    }

    /// <summary>int64 when it fits (as kubectl's JSON decoding does), otherwise float64.</summary>
    private static object Normalize(BigInteger value) =>
        value >= long.MinValue && value <= long.MaxValue
            ? (long)value
            : double.Parse(value.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture); // rounds to nearest; the BigInteger cast truncates

    /// <summary>Go's strconv.ParseInt/ParseUint with base 0: sign, 0x/0o/0b prefixes, leading-0 octal.</summary>
    private static bool TryParseGoInteger(string s, out BigInteger value)
    {
        value = BigInteger.Zero;
        var negative = false;
        var i = 0;
        if (s.Length > 0 && (s[0] == '+' || s[0] == '-'))
        {
            negative = s[0] == '-';
            i = 1;
        }

        var (radix, start) = Radix(s, i);
        if (start >= s.Length)
        {
            return false;
        }

        for (var k = start; k < s.Length; k++)
        {
            var digit = DigitValue(s[k]);
            if (digit < 0 || digit >= radix)
            {
                return false;
            }

            value = (value * radix) + digit;
        }

        if (negative)
        {
            value = -value;
        }

        // ParseInt accepts int64; ParseUint accepts non-negative uint64; beyond that Go errors.
        return value >= long.MinValue && value <= ulong.MaxValue;
    }

    private static (int Radix, int Start) Radix(string s, int i)
    {
        if (s.Length - i >= 2 && s[i] == '0')
        {
            return char.ToLowerInvariant(s[i + 1]) switch
            {
                'x' => (16, i + 2),
                'o' => (8, i + 2),
                'b' => (2, i + 2),
                _ => (8, i + 1),
            };
        }

        return (10, i);
    }

    private static int DigitValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>Go's ParseFloat: an out-of-range value is an error (so the scalar stays a string).</summary>
    private static object? ParseFloat(string s)
    {
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || double.IsInfinity(d))
        {
            return null;
        }

        // float64 → JSON text → int64 when integral: 1.0 is 1, 1e3 is 1000, 1e19 stays a float.
        return Math.Floor(d) == d && Math.Abs(d) < 9.2e18 ? (long)d : d;
    }

    private static string NotJson(double d) =>
        $"{(double.IsNaN(d) ? "NaN" : "infinity")} cannot be represented in JSON (quote it to make it a string)";

    private static Dictionary<string, object?> BuildWords()
    {
        var words = new Dictionary<string, object?>(StringComparer.Ordinal);
        void Add(object? value, params string[] spellings)
        {
            foreach (var s in spellings)
            {
                words[s] = value;
            }
        }

        Add(true, "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON");
        Add(false, "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF");
        Add(null, "~", "null", "Null", "NULL");
        Add(double.NaN, ".nan", ".NaN", ".NAN");
        Add(double.PositiveInfinity, ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF");
        Add(double.NegativeInfinity, "-.inf", "-.Inf", "-.INF");
        return words;
    }

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex YamlFloat();
}
