using System.Numerics;
using GitOps.Diff.Render;

namespace GitOps.Diff.Tests.Render;

/// <summary>
/// Plain scalars as kubectl 1.33 reads them (go-yaml v2 resolution, then JSON). Every row was
/// checked against kubectl; the render goldens cover the same rules end to end.
/// </summary>
public class KubectlScalarTests
{
    public static TheoryData<string, object?> Values => new()
    {
        { "", null },
        { "~", null },
        { "null", null },
        { "Null", null },
        { "NULL", null },
        { "nULL", "nULL" },
        { "true", true },
        { "on", true },
        { "On", true },
        { "ON", true },
        { "yes", true },
        { "Y", true },
        { "y", true },
        { "yEs", "yEs" },
        { "off", false },
        { "No", false },
        { "n", false },
        { "FALSE", false },
        { "0", 0L },
        { "-0", 0L },
        { "+12", 12L },
        { "0755", 493L },
        { "0o755", 493L },
        { "0x1F", 31L },
        { "0XFF", 255L },
        { "-0x10", -16L },
        { "0b1010", 10L },
        { "1_000", 1000L },
        { "08", 8L },
        { "0x", "0x" },
        { "9223372036854775807", long.MaxValue },
        { "-9223372036854775808", long.MinValue },
        { "9223372036854775808", 9223372036854775808d },
        { "18446744073709551615", 18446744073709551615d },
        { "123456789012345678901234567890", 1.2345678901234568e+29 },
        { "1.0", 1L },
        { "1e3", 1000L },
        { "2E-2", 0.02 },
        { "+1.5e+2", 150L },
        { ".5", 0.5 },
        { "-.25", -0.25 },
        { "5.", 5L },
        { "3.14159265358979323846", 3.141592653589793 },
        { "1e19", 1e19 },
        { "1e999", "1e999" },
        { "1.2.3", "1.2.3" },
        { "10.0.0.1", "10.0.0.1" },
        { "1:30", "1:30" },
        { "2001-12-14", "2001-12-14" },
        { "2001-12-14T21:59:43Z", "2001-12-14T21:59:43Z" },
        { "-", "-" },
        { "+", "+" },
        { ".", "." },
        { ".infinity", ".infinity" },
        { "inf", "inf" },
        { "NaN", "NaN" },
        { "hello", "hello" },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void Resolve_PlainScalar_MatchesKubectl(string text, object? expected)
    {
        Assert.Equal(expected, KubectlScalar.Resolve(text));
    }

    [Theory]
    [InlineData(".inf")]
    [InlineData("-.Inf")]
    [InlineData("+.INF")]
    [InlineData(".nan")]
    [InlineData(".NaN")]
    public void Resolve_InfinityOrNaN_Throws(string text)
    {
        var ex = Assert.Throws<FormatException>(() => KubectlScalar.Resolve(text));
        Assert.Contains("cannot be represented in JSON", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1", "1")]
    [InlineData("0x10", "16")]
    [InlineData("on", "true")]
    [InlineData("n", "false")]
    [InlineData("yEs", "yEs")]
    [InlineData("1.5", "1.5")]
    [InlineData("1.0", "1")]
    [InlineData("-0.0", "-0")]
    [InlineData("1e3", "1000")]
    [InlineData("1e6", "1e+06")]
    [InlineData("1e10", "1e+10")]
    [InlineData("1e-7", "1e-07")]
    [InlineData("0.0001", "0.0001")]
    [InlineData("0.00001", "1e-05")]
    [InlineData("123456.7", "123456.7")]
    [InlineData("1234567.5", "1.2345675e+06")]
    [InlineData("3.14159265358979", "3.1415927")]
    [InlineData("123456789012345678901234567890", "1.2345679e+29")]
    [InlineData(".inf", ".inf")]
    [InlineData("-.inf", "-.inf")]
    [InlineData(".nan", ".nan")]
    public void KeyText_PlainKey_MatchesKubectl(string text, string expected)
    {
        Assert.Equal(expected, KubectlScalar.KeyText(KubectlScalar.Classify(text)));
    }

    [Theory]
    [InlineData("~")]
    [InlineData("")]
    [InlineData("9223372036854775808")]
    public void KeyText_NullOrUint64Key_Throws(string text)
    {
        Assert.Throws<FormatException>(() => KubectlScalar.KeyText(KubectlScalar.Classify(text)));
    }

    [Fact]
    public void Classify_IntegralFloat_KeepsFloatType()
    {
        Assert.Equal(new YamlScalar(YamlKind.Float, 1e10), KubectlScalar.Classify("1e10"));
        Assert.Equal(new YamlScalar(YamlKind.Int, new BigInteger(10_000_000_000)), KubectlScalar.Classify("10000000000"));
    }

    public static TheoryData<string?, bool, string, object?> TaggedValues => new()
    {
        { null, false, "123", "123" },
        { null, true, "123", 123L },
        { "tag:yaml.org,2002:str", true, "123", "123" },
        { "!", true, "yes", "yes" },
        { "!Ref", true, "0x10", "0x10" },
        { "tag:yaml.org,2002:map", true, "1", "1" },
        { "tag:yaml.org,2002:int", false, "12", 12L },
        { "tag:yaml.org,2002:float", true, "1", 1L },
        { "tag:yaml.org,2002:float", false, "1.5", 1.5 },
        { "tag:yaml.org,2002:bool", false, "yes", true },
        { "tag:yaml.org,2002:null", true, "~", null },
        { "tag:yaml.org,2002:null", true, "", null },
        { "tag:yaml.org,2002:timestamp", true, "2001-12-14", "2001-12-14" },
        { "tag:yaml.org,2002:timestamp", true, "2001-12-14T21:59:43.10-05:00", "2001-12-14T21:59:43.10-05:00" },
        { "tag:yaml.org,2002:binary", true, "aGVsbG8=", "hello" },
        { "tag:yaml.org,2002:binary", false, "aGVsbG8g\nd29ybGQ=", "hello world" },
    };

    [Theory]
    [MemberData(nameof(TaggedValues))]
    public void Tagged_ExplicitTag_MatchesKubectl(string? tag, bool plain, string text, object? expected)
    {
        Assert.Equal(expected, KubectlScalar.ToJson(KubectlScalar.Tagged(tag, plain, text)));
    }

    [Theory]
    [InlineData("tag:yaml.org,2002:int", "abc", "cannot decode !!str `abc` as a !!int")]
    [InlineData("tag:yaml.org,2002:int", "1.5", "cannot decode !!float `1.5` as a !!int")]
    [InlineData("tag:yaml.org,2002:int", "", "cannot decode !!null `` as a !!int")]
    [InlineData("tag:yaml.org,2002:bool", "1", "cannot decode !!int `1` as a !!bool")]
    [InlineData("tag:yaml.org,2002:null", "foo", "cannot decode !!str `foo` as a !!null")]
    [InlineData("tag:yaml.org,2002:timestamp", "foo", "cannot decode !!str `foo` as a !!timestamp")]
    [InlineData("tag:yaml.org,2002:binary", "!!!", "!!binary value contains invalid base64 data")]
    public void Tagged_ValueContradictsTag_ThrowsWithKubectlWording(string tag, string text, string message)
    {
        var ex = Assert.Throws<FormatException>(() => KubectlScalar.Tagged(tag, plain: true, text));
        Assert.Equal(message, ex.Message);
    }
}
