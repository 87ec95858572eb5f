using System.Text;
using GitOps.Agent.Sync;

namespace GitOps.Agent.Tests.Sync.Inventory;

public sealed class MemberPartsTests
{
    private static string Members(int count) => string.Concat(Enumerable.Range(0, count).Select(i =>
        $"v1 ConfigMap team-{i % 7} {new string('n', 200)}-{i} {Convert.ToHexStringLower(BitConverter.GetBytes(i * 7919L))} {i:x32}\n"));

    [Fact]
    public void Encode_LongList_PartsNoLargerThanAskedAndDecodeGivesItBack()
    {
        var text = Members(5_000);

        var encoded = MemberParts.Encode(text, partBytes: 16 * 1024);

        Assert.True(encoded.Parts.Count > 1);
        Assert.All(encoded.Parts, p => Assert.InRange(p.Length, 1, 16 * 1024));
        Assert.True(encoded.Parts.Sum(p => p.Length) < Encoding.UTF8.GetByteCount(text) / 4, "the list compresses");
        Assert.Equal(text, MemberParts.Decode(encoded.Parts, encoded.Digest));
    }

    [Fact]
    public void Encode_EmptyList_OnePartThatDecodesToNothing()
    {
        var encoded = MemberParts.Encode(string.Empty, partBytes: 1024);

        Assert.Single(encoded.Parts);
        Assert.Equal(string.Empty, MemberParts.Decode(encoded.Parts, encoded.Digest));
    }

    [Fact]
    public void Decode_PartMissingOrOutOfOrderOrOtherDigest_ReturnsNull()
    {
        var encoded = MemberParts.Encode(Members(2_000), partBytes: 8 * 1024);
        Assert.True(encoded.Parts.Count >= 3);

        Assert.Null(MemberParts.Decode(encoded.Parts.Skip(1), encoded.Digest));
        Assert.Null(MemberParts.Decode(encoded.Parts.Reverse(), encoded.Digest));
        Assert.Null(MemberParts.Decode(encoded.Parts, MemberParts.Encode("v1 ConfigMap - x a b\n", 1024).Digest));
    }
}
