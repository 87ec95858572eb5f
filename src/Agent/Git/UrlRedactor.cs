using System.Text.RegularExpressions;

namespace GitOps.Agent.Git;

/// <summary>
/// Removes credentials from URLs inside any text (messages from libgit2, our own errors, logs).
/// An HTTP(S) user name is dropped too, because hosts accept a token in its place
/// (<c>https://TOKEN@host</c>); an ssh user name (<c>ssh://git@host</c>) is not a secret and stays.
/// </summary>
public static partial class UrlRedactor
{
    /// <summary>What replaces a removed secret.</summary>
    public const string Mask = "***";

    /// <summary>Returns <paramref name="text"/> with the user-info part of every URL in it masked.</summary>
    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text) || !text.Contains('@', StringComparison.Ordinal))
        {
            return text ?? string.Empty;
        }

        return UserInfo().Replace(text, m => m.Groups["scheme"].Value + MaskUserInfo(m.Groups["scheme"].Value, m.Groups["userinfo"].Value) + "@");
    }

    private static string MaskUserInfo(string scheme, string userInfo)
    {
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        var isSsh = scheme.Contains("ssh", StringComparison.OrdinalIgnoreCase);
        if (isSsh && colon < 0)
        {
            return userInfo;
        }

        return isSsh ? userInfo[..colon] + ":" + Mask : Mask;
    }

    // scheme://userinfo@ — userinfo is greedy up to the last '@' before the host, so a password
    // containing an unescaped '@' is still masked whole.
    [GeneratedRegex(@"(?<scheme>\b[A-Za-z][A-Za-z0-9+.\-]*://)(?<userinfo>[^\s/?#]+)@", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfo();
}
