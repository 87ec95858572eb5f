using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.RegularExpressions;

namespace GitOps.Diff.Render;

/// <summary>
/// Resolves a plain (unquoted, untagged) YAML scalar exactly as kubectl does: go-yaml v2's
/// YAML 1.1 rules, then sigs.k8s.io/yaml's JSON conversion, then JSON decoding into int64 or
/// float64. Quoted and block scalars never come here: they are always strings.
/// </summary>
internal static partial class KubectlScalar
{
    private const string YamlTagPrefix = "tag:yaml.org,2002:";
    private static readonly Dictionary<string, object?> Words = BuildWords();

    /// <summary>The resolved value: null, bool, long, double or string. Infinity and NaN throw.</summary>
    public static object? Resolve(string text) => ToJson(Classify(text));

    /// <summary>
    /// What go-yaml v2 makes of a plain scalar, before any JSON conversion: Int holds a
    /// <see cref="BigInteger"/> within int64..uint64, Float a double that may be infinite or NaN.
    /// Keys need this distinction: <c>1e10</c> is the key "1e+10", not "10000000000".
    /// </summary>
    public static YamlScalar Classify(string text)
    {
        if (text.Length == 0)
        {
            return new(YamlKind.Null, null);
        }

        if (Words.TryGetValue(text, out var word))
        {
            return word switch
            {
                null => new(YamlKind.Null, null),
                bool b => new(YamlKind.Bool, b),
                _ => new(YamlKind.Float, word),
            };
        }

        return text[0] switch
        {
            '.' => ParseFloat(text) is { } f ? new(YamlKind.Float, f) : new(YamlKind.String, text),
            '+' or '-' or (>= '0' and <= '9') => ClassifyNumberLike(text),
            _ => new(YamlKind.String, text),
        };
    }

    /// <summary>
    /// A scalar with its tag, as go-yaml v2 decodes it. Untagged: plain scalars are resolved,
    /// quoted and block ones are strings. <c>!!bool</c>, <c>!!int</c>, <c>!!float</c>, <c>!!null</c>
    /// resolve the text (quoted or not) and must agree with it; <c>!!timestamp</c> must look like
    /// one and stays a string; <c>!!binary</c> is base64-decoded. Any other tag (<c>!!str</c>, the
    /// non-specific <c>!</c>, an application tag like <c>!Ref</c>) leaves the text a string.
    /// </summary>
    public static YamlScalar Tagged(string? tag, bool plain, string text)
    {
        if (tag is null)
        {
            return plain ? Classify(text) : new(YamlKind.String, text);
        }

        var name = tag.StartsWith(YamlTagPrefix, StringComparison.Ordinal) ? tag[YamlTagPrefix.Length..] : null;
        if (name is "binary")
        {
            return new(YamlKind.String, DecodeBinary(text));
        }

        if (name is "timestamp")
        {
            return Timestamp().IsMatch(text) ? new(YamlKind.String, text) : throw Mismatch(Classify(text), text, name);
        }

        if (name is not ("bool" or "int" or "float" or "null"))
        {
            return new(YamlKind.String, text);
        }

        var resolved = Classify(text);
        var agrees = name switch
        {
            "bool" => resolved.Kind == YamlKind.Bool,
            "int" => resolved.Kind == YamlKind.Int,
            "float" => resolved.Kind is YamlKind.Int or YamlKind.Float,
            _ => resolved.Kind == YamlKind.Null,
        };
        return agrees ? resolved : throw Mismatch(resolved, text, name);
    }

    /// <summary>A resolved scalar as kubectl's JSON decoding sees it: null, bool, long, double or string.</summary>
    public static object? ToJson(YamlScalar scalar) => scalar.Kind switch
    {
        YamlKind.Null => null,
        YamlKind.Int => Normalize((BigInteger)scalar.Value!),
        YamlKind.Float => Integral((double)scalar.Value!),
        _ => scalar.Value,
    };

    /// <summary>A key as sigs.k8s.io/yaml writes it: scalars become their JSON text.</summary>
    public static string KeyText(YamlScalar scalar) => scalar.Kind switch
    {
        YamlKind.String => (string)scalar.Value!,
        YamlKind.Bool => (bool)scalar.Value! ? "true" : "false",
        YamlKind.Int when (BigInteger)scalar.Value! <= long.MaxValue => ((BigInteger)scalar.Value!).ToString(CultureInfo.InvariantCulture),
        YamlKind.Int => throw new FormatException($"the mapping key {scalar.Value} does not fit in int64 (kubectl cannot convert it either)"),
        YamlKind.Float => GoFloatKey((double)scalar.Value!),
        _ => throw new FormatException("a null mapping key cannot be converted to JSON"),
    };

    private static FormatException Mismatch(YamlScalar resolved, string text, string tag)
    {
        var actual = resolved.Kind switch
        {
            YamlKind.String => "str",
            _ => resolved.Kind.ToString().ToLowerInvariant(),
        };
        return new FormatException($"cannot decode !!{actual} `{text}` as a !!{tag}");
    }

    private static string DecodeBinary(string text)
    {
        try
        {
            // go-yaml hands the bytes on as a Go string; JSON then replaces invalid UTF-8 with U+FFFD.
            return Encoding.UTF8.GetString(Convert.FromBase64String(text));
        }
        catch (FormatException ex)
        {
            throw new FormatException("!!binary value contains invalid base64 data", ex);
        }
    }

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

    /// <summary>The shapes go-yaml accepts for !!timestamp (Go layouts 2006-1-2, with T/t or a space and a time); ranges are not checked.</summary>
    [GeneratedRegex(@"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]+)?(Z|[-+][0-9]{2}:[0-9]{2})| [0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]+)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Timestamp();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex YamlFloat();
}

/// <summary>The YAML 1.1 types a plain scalar resolves to in go-yaml v2 (timestamps stay strings).</summary>
internal enum YamlKind
{
    Null,
    Bool,
    Int,
    Float,
    String,
}

/// <summary>A resolved scalar: its YAML type and its value (see <see cref="KubectlScalar.Classify"/>).</summary>
internal readonly record struct YamlScalar(YamlKind Kind, object? Value);
