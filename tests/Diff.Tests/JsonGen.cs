using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;

namespace GitOps.Diff.Tests;

/// <summary>
/// Random JSON trees for property tests, biased towards what YAML 1.1 reads as something else
/// when unquoted ("yes", "0755", "~", "1e3"), characters YAML must escape, and numbers at the
/// edges of int64 and double.
/// </summary>
internal static class JsonGen
{
    public static readonly string[] Tricky =
    [
        "yes", "no", "on", "off", "y", "n", "Y", "N", "true", "False", "null", "Null", "~", "", " ", "  padded  ",
        "0755", "0o17", "0x1F", "1e3", "1_000", "1.0", "-0", "+12", ".5", ".inf", "-.inf", ".nan", "2001-12-14",
        "<<", "- a", "a: b", "# not a comment", "&anchor", "*alias", "!tag", "!!str", "|", ">", "---", "...",
        "'", "\"", "\\", "\t", "\n", "line\nbreak", "trailing\n", "\r\n", "é", "中文", "😀", "\u0000", "\u0085",
        "\u2028", "\u00a0", "\ufeff", "%YAML", "@", "`", "{a: 1}", "[1, 2]", "key:", "a,b",
    ];

    private static readonly string[] Atoms =
    [
        "a", "b", "Z", "0", "7", " ", ":", "-", "#", "'", "\"", "\\", "\t", "\n", ",", "[", "]", "{", "}", "&",
        "*", "!", "|", ">", "%", "@", "`", "?", ".", "é", "ß", "中", "😀", "\u0001", "\u007f", "\u0085", "\u2029",
    ];

    public static Gen<string> String { get; } = Gen.OneOf(
        Gen.OneOf(Tricky),
        Gen.OneOf(Atoms).Array[0, 8].Select(string.Concat),
        Gen.OneOf(Tricky).Array[1, 3].Select(string.Concat));

    public static Gen<JsonNode?> Number { get; } = Gen.OneOf(
        Gen.Long.Select(l => (JsonNode?)JsonValue.Create(l)),
        Gen.OneOf(0L, 1L, -1L, long.MaxValue, long.MinValue, 9007199254740993L).Select(l => (JsonNode?)JsonValue.Create(l)),
        Gen.Double[-1e6, 1e6].Select(d => (JsonNode?)JsonValue.Create(d)),
        Gen.OneOf(0.5, 1e-7, 1.5e300, -2.5e-300, 1e19, 123456789.125, 5e-324).Select(d => (JsonNode?)JsonValue.Create(d)));

    public static Gen<JsonNode?> Scalar { get; } = Gen.Frequency(
        (4, String.Select(s => (JsonNode?)JsonValue.Create(s))),
        (3, Number),
        (1, Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b))),
        (1, Gen.Const<JsonNode?>(() => null)));

    /// <summary>Any JSON value (objects and arrays nested a few levels).</summary>
    public static Gen<JsonNode?> Value { get; } = Gen.Recursive<JsonNode?>((depth, self) => depth >= 4
        ? Scalar
        : Gen.Frequency(
            (3, Scalar),
            (1, self.Array[0, 4].Select(items => (JsonNode?)new JsonArray(items))),
            (1, Object(self).Select(o => (JsonNode?)o))));

    /// <summary>An object with distinct keys whose values come from <paramref name="values"/>.</summary>
    public static Gen<JsonObject> Object(Gen<JsonNode?> values) =>
        Gen.Select(String.Array[0, 5], values.Array[5], (keys, items) =>
        {
            var obj = new JsonObject();
            foreach (var (key, value) in keys.Distinct(StringComparer.Ordinal).Zip(items))
            {
                obj[key] = value;
            }

            return obj;
        });

    /// <summary>The same tree written differently: keys reordered, integral numbers as double or as "N.0" text.</summary>
    public static JsonNode? Respelled(JsonNode? node, Random random) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(_ => random.Next()).Select(p => KeyValuePair.Create(p.Key, Respelled(p.Value, random)))),
        JsonArray a => new JsonArray(a.Select(i => Respelled(i, random)).ToArray()),
        JsonValue v when v.TryGetValue<long>(out var l) && l > -(1L << 53) && l < 1L << 53 => random.Next(3) switch
        {
            0 => JsonValue.Create(l),
            1 => JsonValue.Create((double)l),
            _ => JsonNode.Parse(l.ToString(CultureInfo.InvariantCulture) + ".0"),
        },
        _ => node?.DeepClone(),
    };

    public static string Print(JsonNode? node) => node?.ToJsonString() ?? "null";
}
