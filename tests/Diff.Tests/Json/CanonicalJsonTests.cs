using System.Text.Json.Nodes;
using CsCheck;
using GitOps.Diff.Json;

namespace GitOps.Diff.Tests.Json;

public class CanonicalJsonTests
{
    [Fact]
    public void Hash_KeyOrderDiffers_Same()
    {
        var a = JsonNode.Parse("""{"a":1,"b":{"c":[1,2],"d":"x"}}""");
        var b = JsonNode.Parse("""{"b":{"d":"x","c":[1,2]},"a":1}""");

        Assert.Equal(CanonicalJson.Hash(a), CanonicalJson.Hash(b));
    }

    [Theory]
    [InlineData("1", "1.0")]
    [InlineData("1000", "1e3")]
    [InlineData("0", "-0")]
    [InlineData("0.5", "5e-1")]
    public void Hash_NumberSpelledDifferently_Same(string a, string b)
    {
        Assert.Equal(CanonicalJson.Hash(JsonNode.Parse(a)), CanonicalJson.Hash(JsonNode.Parse(b)));
    }

    [Fact]
    public void Hash_Int64AndEqualDouble_Same()
    {
        Assert.Equal(CanonicalJson.Hash(JsonValue.Create(9220000000000000000L)), CanonicalJson.Hash(JsonValue.Create(9.22e18)));
    }

    [Theory]
    [InlineData("""{"a":1}""", """{"a":2}""")]
    [InlineData("[1,2]", "[2,1]")]
    [InlineData("1", "\"1\"")]
    [InlineData("9007199254740993", "9007199254740992")]
    public void Hash_DifferentValues_Differ(string a, string b)
    {
        Assert.NotEqual(CanonicalJson.Hash(JsonNode.Parse(a)), CanonicalJson.Hash(JsonNode.Parse(b)));
    }

    [Fact]
    public void Text_SortsKeysAndWritesIntegralNumbersAsIntegers()
    {
        Assert.Equal("""{"a":1,"b":[1000,0.5]}""", CanonicalJson.Text(JsonNode.Parse("""{"b":[1e3,0.5],"a":1.0}""")));
    }

    [Fact]
    public void Hash_TreesJsonEqualityCallsEqual_Same()
    {
        Gen.Select(JsonGen.Value, Gen.Int).Sample(
            (tree, seed) =>
            {
                var other = JsonGen.Respelled(tree, new Random(seed));
                return JsonEquality.Equal(tree, other) && CanonicalJson.Hash(tree) == CanonicalJson.Hash(other);
            },
            iter: 500,
            threads: 1,
            print: t => JsonGen.Print(t.Item1));
    }
}
