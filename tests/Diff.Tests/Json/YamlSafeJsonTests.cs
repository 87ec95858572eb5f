using System.Text.Json.Nodes;
using GitOps.Diff.Json;

namespace GitOps.Diff.Tests.Json;

public sealed class YamlSafeJsonTests
{
    [Theory]
    [InlineData("smile 😀 here")]
    [InlineData("𠀀 CJK extension B")]
    [InlineData("two 😀😀 in a row")]
    [InlineData("a backslash \\ then 😀")]
    [InlineData("quote \" and é and 😀")]
    public void Write_CharactersBeyondTheBmp_AreWrittenAsThemselvesAndReadBackEqual(string value)
    {
        var json = YamlSafeJson.Write(new JsonObject { ["v"] = value });

        Assert.DoesNotContain("\\uD8", json, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(value, (string?)JsonNode.Parse(json)!["v"]);
    }

    [Theory]
    [InlineData("plain ascii")]
    [InlineData("<html> & 'quotes' é ü")]
    [InlineData("smile 😀 here")]
    [InlineData("a backslash \\ then 😀")]
    [InlineData("the text \\uD83D\\uDE00, not an emoji")]
    public void WriteUtf8_AnyValue_IsTheUtf8OfWrite(string value)
    {
        var node = new JsonObject { ["v"] = value, ["n"] = 1.5, ["list"] = new JsonArray("a", null, true) };

        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(YamlSafeJson.Write(node)), YamlSafeJson.WriteUtf8(node));
    }

    [Fact]
    public void Unescape_EscapedBackslashBeforeU_IsLeftAsText()
    {
        const string json = """{"v":"\\uD83D\\uDE00"}"""; // the text \uD83D\uDE00, not an emoji

        Assert.Equal(json, YamlSafeJson.Unescape(json));
    }

    [Fact]
    public void Unescape_EvenRunOfBackslashesBeforeAPair_UnescapesThePair()
    {
        Assert.Equal("{\"v\":\"\\\\😀\"}", YamlSafeJson.Unescape("{\"v\":\"\\\\\\uD83D\\uDE00\"}"));
    }
}
