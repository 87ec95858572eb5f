using System.Text.Json.Nodes;
using CsCheck;
using GitOps.Diff.Json;

namespace GitOps.Diff.Tests.Json;

public class JsonEqualityTests
{
    [Theory]
    [InlineData("""{"a":1,"b":[1,2]}""", """{"b":[1,2],"a":1}""")]
    [InlineData("1", "1.0")]
    [InlineData("1000", "1e3")]
    [InlineData("0", "-0.0")]
    [InlineData("1e19", "10000000000000000000")]
    [InlineData("null", "null")]
    [InlineData("\"x\"", "\"x\"")]
    public void Equal_SameValueSpelledDifferently_True(string a, string b)
    {
        Assert.True(JsonEquality.Equal(JsonNode.Parse(a), JsonNode.Parse(b)));
    }

    [Theory]
    [InlineData("[1,2]", "[2,1]")]
    [InlineData("""{"a":1}""", """{"a":1,"b":null}""")]
    [InlineData("1", "\"1\"")]
    [InlineData("true", "1")]
    [InlineData("9007199254740993", "9007199254740992")]
    [InlineData("{}", "[]")]
    [InlineData("null", "{}")]
    public void Equal_DifferentValues_False(string a, string b)
    {
        Assert.False(JsonEquality.Equal(JsonNode.Parse(a), JsonNode.Parse(b)));
    }

    [Fact]
    public void Equal_Int64AndTheNearestDouble_False()
    {
        // 2^53 + 1 has no double; comparing through double would call them equal.
        Assert.False(JsonEquality.Equal(JsonValue.Create(9007199254740993L), JsonValue.Create(9007199254740992d)));
        Assert.True(JsonEquality.Equal(JsonValue.Create(9007199254740992L), JsonValue.Create(9007199254740992d)));
    }

    [Fact]
    public void Equal_RespelledTree_True()
    {
        Gen.Select(JsonGen.Value, Gen.Int).Sample(
            (tree, seed) => JsonEquality.Equal(tree, JsonGen.Respelled(tree, new Random(seed))),
            iter: 500,
            threads: 1,
            print: t => JsonGen.Print(t.Item1));
    }
}
