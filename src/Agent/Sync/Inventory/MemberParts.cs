using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace GitOps.Agent.Sync;

/// <summary>
/// A member list too long for the parent: gzip of its text, cut into parts of at most a given
/// size, and the SHA-256 of the whole compressed stream, which the parent records so a reader
/// can tell a complete, matching set of parts from a stale or partly deleted one.
/// </summary>
internal sealed record MemberParts(IReadOnlyList<byte[]> Parts, string Digest)
{
    public static MemberParts Encode(string members, int partBytes)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(members));
        }

        var bytes = buffer.ToArray();
        var parts = bytes.Chunk(partBytes).ToList();
        return new MemberParts(parts.Count == 0 ? [[]] : parts, DigestOf(bytes));
    }

    /// <summary>The member text, or null when the parts do not make up the stream the digest names.</summary>
    public static string? Decode(IEnumerable<byte[]> parts, string digest)
    {
        var bytes = parts.SelectMany(p => p).ToArray();
        if (!string.Equals(DigestOf(bytes), digest, StringComparison.Ordinal))
        {
            return null;
        }

        using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var text = new StreamReader(gzip, Encoding.UTF8);
        return text.ReadToEnd();
    }

    private static string DigestOf(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
