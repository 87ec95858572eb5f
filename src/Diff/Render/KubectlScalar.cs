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
