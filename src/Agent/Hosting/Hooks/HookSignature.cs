using System.Security.Cryptography;
using System.Text;

namespace GitOps.Agent.Hosting.Hooks;

/// <summary>
/// Whether a delivery comes from someone who knows the receiver's secret. Every comparison is
/// constant-time (<see cref="CryptographicOperations.FixedTimeEquals"/>), so response times say
/// nothing about how much of a guess was right.
/// </summary>
internal static class HookSignature
{
    private const string Sha256Prefix = "sha256=";

    /// <summary>The header that carries the proof for <paramref name="type"/> (Forgejo also sends its own name, read as an alias).</summary>
    public static IReadOnlyList<string> Headers(ReceiverType type) => type switch
    {
        ReceiverType.GitHub => ["X-Hub-Signature-256"],
        ReceiverType.GitLab => ["X-Gitlab-Token"],
        ReceiverType.Gitea => ["X-Gitea-Signature", "X-Forgejo-Signature"],
        _ => ["X-Signature"],
    };

    /// <summary>True when <paramref name="header"/> (the value of <see cref="Headers"/>) proves <paramref name="body"/> was sent with <paramref name="secret"/>.</summary>
    public static bool Verify(ReceiverType type, string? header, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(header) || secret.IsEmpty)
        {
            return false;
        }

        return type switch
        {
            ReceiverType.GitLab => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header), secret),
            ReceiverType.Gitea => HexEquals(header, Hmac(secret, body)),
            _ => header.StartsWith(Sha256Prefix, StringComparison.Ordinal) && HexEquals(header[Sha256Prefix.Length..], Hmac(secret, body)),
        };
    }

    /// <summary>The header value a sender would compute: <c>sha256=&lt;hex&gt;</c> (for GitHub and generic-hmac), or plain hex for Gitea.</summary>
    public static string Sign(ReceiverType type, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> body) => type switch
    {
        ReceiverType.GitLab => Encoding.UTF8.GetString(secret),
        ReceiverType.Gitea => Convert.ToHexStringLower(Hmac(secret, body)),
        _ => Sha256Prefix + Convert.ToHexStringLower(Hmac(secret, body)),
    };

    private static byte[] Hmac(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> body) => HMACSHA256.HashData(secret, body);

    private static bool HexEquals(string hex, byte[] expected)
    {
        byte[] given;
        try
        {
            given = Convert.FromHexString(hex.Trim());
        }
        catch (FormatException)
        {
            return false;
        }

        // FixedTimeEquals returns false at once on a length mismatch; the length of a digest is no secret.
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }
}
