using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace GitOps.Diff.Render;

/// <summary>
/// The numeric half of kubectl's scalar rules: Go's integer and float parsing as go-yaml v2
/// applies it, kubectl's JSON decoding into int64 or float64, and Go's formatting of float keys.
/// </summary>
internal static partial class KubectlScalar
{
    private static YamlScalar ClassifyNumberLike(string text)
    {
        // Timestamps stay strings when decoded into interface{} (go-yaml v2 compatibility rule).
        var plain = text.Replace("_", string.Empty, StringComparison.Ordinal);
        if (TryParseGoInteger(plain, out var integer))
        {
            return new(YamlKind.Int, integer);
        }

        if (YamlFloat().IsMatch(plain) && ParseFloat(plain) is { } f)
        {
            return new(YamlKind.Float, f);
        }

        return new(YamlKind.String, text);
    }

    /// <summary>int64 when it fits (as kubectl's JSON decoding does), otherwise float64.</summary>
    private static object Normalize(BigInteger value) =>
        value >= long.MinValue && value <= long.MaxValue
            ? (object)(long)value // the cast keeps `?:` from widening the long to double
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
    private static double? ParseFloat(string s) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !double.IsInfinity(d) ? d : null;

    /// <summary>float64 → JSON text → int64 when integral: 1.0 is 1, 1e3 is 1000, 1e19 stays a float.</summary>
    private static object Integral(double d)
    {
        if (!double.IsFinite(d))
        {
            throw new FormatException(NotJson(d));
        }

        return Math.Floor(d) == d && Math.Abs(d) < 9.2e18 ? (object)(long)d : d;
    }

    /// <summary>
    /// Go's <c>strconv.FormatFloat(d, 'g', -1, 32)</c>, which sigs.k8s.io/yaml uses for float keys:
    /// the shortest digits of the float32, in exponent form (two-digit exponent) from 1e+06 up
    /// and below 1e-04; infinities and NaN keep their YAML spelling.
    /// </summary>
    private static string GoFloatKey(double d)
    {
        if (double.IsNaN(d))
        {
            return ".nan";
        }

        if (double.IsInfinity(d))
        {
            return d > 0 ? ".inf" : "-.inf";
        }

        var f = (float)d;
        var sign = float.IsNegative(f) ? "-" : string.Empty;
        if (f == 0)
        {
            return sign + "0";
        }

        var (digits, point) = ShortestDigits(Math.Abs(f));
        var exponent = point - 1;
        if (exponent < -4 || exponent >= 6)
        {
            var mantissa = digits.Length > 1 ? $"{digits[0]}.{digits[1..]}" : digits;
            return $"{sign}{mantissa}e{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent):00}";
        }

        return sign + (point <= 0 ? $"0.{new string('0', -point)}{digits}"
            : point >= digits.Length ? digits + new string('0', point - digits.Length)
            : $"{digits[..point]}.{digits[point..]}");
    }

    /// <summary>The shortest round-trip decimal digits of <paramref name="f"/> and where the point goes (0.d1d2… × 10^point).</summary>
    private static (string Digits, int Point) ShortestDigits(float f)
    {
        var text = f.ToString("R", CultureInfo.InvariantCulture);
        var e = text.IndexOfAny(['E', 'e']);
        var exponent = e < 0 ? 0 : int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = e < 0 ? text : text[..e];
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = mantissa.Replace(".", string.Empty, StringComparison.Ordinal);
        var point = (dot < 0 ? mantissa.Length : dot) + exponent;
        var leadingZeros = digits.Length - digits.TrimStart('0').Length;
        return (digits.Trim('0'), point - leadingZeros);
    }

    private static string NotJson(double d) =>
        $"{(double.IsNaN(d) ? "NaN" : "infinity")} cannot be represented in JSON (quote it to make it a string)";

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex YamlFloat();
}
