using System.Text;
using System.Text.Json.Nodes;
using GitOps.Diff.Masking;

namespace GitOps.Diff.Tests.Masking;

/// <summary>
/// Each spelling of a Secret value the API server or a JSON writer produces, written out by hand
/// from Go's strconv.Quote, encoding/json and System.Text.Json, inside a message shaped like the
/// server's: the value must not survive in any of them.
/// </summary>
public class SecretRedactorSpellingTests
{
    [Theory]
    [InlineData("go %q quote and backslash (the measured leak)", "Le4k\"Be7a\\7782", "Le4k\\\"Be7a\\\\7782")]
    [InlineData("go %q newline, tab, carriage return", "line one\tx\r\nline two", "line one\\tx\\r\\nline two")]
    [InlineData("go %q bell, backspace, form feed, vertical tab", "bell\a\b\f\vend", "bell\\a\\b\\f\\vend")]
    [InlineData("go %q other control bytes and DEL", "ctl\u0001\u001f\u007fend", "ctl\\x01\\x1f\\x7fend")]
    [InlineData("go %q non-printable BMP runes", "nb\u00a0zw\u200bpu\ue000", "nb\\u00a0zw\\u200bpu\\ue000")]
    [InlineData("go %q non-printable astral rune", "plane\U000F0000x", "plane\\U000f0000x")]
    [InlineData("go %q printable non-ASCII kept", "café😀\"x", "café😀\\\"x")]
    [InlineData("go %+q every non-ASCII rune escaped", "café😀\"x", "caf\\u00e9\\U0001f600\\\"x")]
    [InlineData("go json: HTML characters", "a<b>&c\"d", "a\\u003cb\\u003e\\u0026c\\\"d")]
    [InlineData("go json: controls", "x\u0001\b\f\ny", "x\\u0001\\b\\f\\ny")]
    [InlineData("go json before 1.22: \\b and \\f as \\u", "x\b\fyz", "x\\u0008\\u000cyz")]
    [InlineData("go json: line separators", "a\u2028b\u2029c", "a\\u2028b\\u2029c")]
    [InlineData("json ascii-only, lower-case hex", "café\"1", "caf\\u00e9\\\"1")]
    [InlineData("system.text.json default", "café\"+1'", "caf\\u00E9\\u0022\\u002B1\\u0027")]
    [InlineData("system.text.json default, emoji as surrogates", "hi😀there", "hi\\uD83D\\uDE00there")]
    [InlineData("json around a go-quoted value", "Le4k\"Be7a\\7782", "Le4k\\\\\\\"Be7a\\\\\\\\7782")]
    [InlineData("system.text.json around a go-quoted value", "pa\"ss", "pa\\\\\\u0022ss")]
    [InlineData("go-quoted json", "pa\"ss", "pa\\\\\\\"ss")]
    [InlineData("base64", "????>>>>", "Pz8/Pz4+Pj4=")]
    [InlineData("base64 unpadded", "????>>>>", "Pz8/Pz4+Pj4")]
    [InlineData("base64url", "????>>>>", "Pz8_Pz4-Pj4=")]
    [InlineData("base64url unpadded", "????>>>>", "Pz8_Pz4-Pj4")]
    [InlineData("base64 inside system.text.json", "????>>>>", "Pz8/Pz4\\u002BPj4=")]
    public void Redact_ValueSpelledThisWay_Hidden(string spelling, string value, string spelled)
    {
        var redactor = SecretRedactor.For([StringData(value)]);
        var message = $"Secret \"db\" is invalid: metadata.labels: Invalid value: \"{spelled}\": a valid label must be …";

        var redacted = redactor.Redact(message);

        Assert.True(
            redacted == "Secret \"db\" is invalid: metadata.labels: Invalid value: \"***\": a valid label must be …",
            $"{spelling}: {redacted}");
    }

    [Fact]
    public void Redact_BinaryDataValue_GoQuotesInvalidUtf8AsHexBytes()
    {
        var bytes = new byte[] { (byte)'a', (byte)'b', 0xff, (byte)'c', (byte)'d', 0xc3 };
        var redactor = SecretRedactor.For([Data(Convert.ToBase64String(bytes))]);

        Assert.Equal("value \"***\"", redactor.Redact("value \"ab\\xffcd\\xc3\""));
        Assert.Equal("json \"***\"", redactor.Redact("json \"ab\\ufffdcd\\ufffd\""));
    }

    [Fact]
    public void Redact_MultiLineValue_EachLineHiddenOnItsOwn()
    {
        var pem = "-----BEGIN PRIVATE KEY-----\n  MIIBVQIBADANBgkqhkiG9w0BAQ\r\n  EFAASCAT8wggE7AgEAAkEAq\n-----END PRIVATE KEY-----\n";
        var redactor = SecretRedactor.For([StringData(pem)]);

        Assert.Equal("bad line ***", redactor.Redact("bad line MIIBVQIBADANBgkqhkiG9w0BAQ"));
        Assert.Equal("bad line \"***\"", redactor.Redact("bad line \"  EFAASCAT8wggE7AgEAAkEAq\""));
        Assert.Equal("quoted \"***\"", redactor.Redact("quoted \"  MIIBVQIBADANBgkqhkiG9w0BAQ\\r\""));
        Assert.Equal("whole ***", redactor.Redact("whole " + pem));
    }

    [Fact]
    public void Redact_ShortValueEvenIfItsEscapedSpellingIsLonger_LeftAlone()
    {
        // a"b is three characters; its Go spelling a\"b is four, but hiding it protects nothing more.
        var redactor = SecretRedactor.For([StringData("a\"b")]);

        Assert.Equal("x a\\\"b a\"b", redactor.Redact("x a\\\"b a\"b"));
    }

    [Fact]
    public void Redact_OverlappingOccurrencesOfTwoValues_UnionHidden()
    {
        var redactor = SecretRedactor.For([StringData("abcdefgh", "efghijkl")]);

        Assert.Equal("[***]", redactor.Redact("[abcdefghijkl]"));
        Assert.Equal("[***] and [***]", redactor.Redact("[efghijkl] and [abcdefgh]"));
    }

    [Fact]
    public void For_FiveThousandValues_EachHiddenInEverySpelling()
    {
        var values = Enumerable.Range(0, 5_000).Select(i => $"pw-{i:x5}\"\\{i}").ToArray();
        var redactor = SecretRedactor.For([StringData(values)]);

        foreach (var value in values.Where((_, i) => i % 97 == 0))
        {
            foreach (var (name, text) in ReferenceSpellings.All(value))
            {
                Assert.True(redactor.Redact($"<{text}>") == "<***>", $"{name} of {value}: {redactor.Redact($"<{text}>")}");
            }
        }
    }

    [Fact]
    public void Redact_ValueOfCharactersNoEscaperTouches_HiddenAsWritten()
    {
        // The redactor skips escaping such values; every escaper must indeed leave them alone.
        const string plain = "Az09-_.=/:@ ,;*#%$!?()[]{}~^|";
        var escaped = ReferenceSpellings.All(plain).Where(s => !s.Name.StartsWith("base64", StringComparison.Ordinal));

        Assert.All(escaped, s => Assert.Equal(plain, s.Text));
        Assert.Equal("[***]", SecretRedactor.For([StringData(plain)]).Redact($"[{plain}]"));
    }

    [Fact]
    public void Redact_NoSecretInText_ReturnsSameText()
    {
        var text = "Service \"web\" is invalid: spec.ports[0].port: Invalid value: 99999";

        Assert.Same(text, SecretRedactor.For([StringData("Le4k\"Be7a\\7782")]).Redact(text));
    }

    private static JsonObject StringData(params string[] values) => Secret("stringData", values);

    private static JsonObject Data(params string[] values) => Secret("data", values);

    private static JsonObject Secret(string field, string[] values)
    {
        var map = new JsonObject();
        for (var i = 0; i < values.Length; i++)
        {
            map[$"k{i}"] = values[i];
        }

        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Secret", ["metadata"] = new JsonObject { ["name"] = "db" }, [field] = map };
    }
}
