using System.Diagnostics;
using GitOps.Agent.Git;

namespace GitOps.Agent.Tests.Git;

/// <summary>
/// Commits signed for real (git -S with gpg and with ssh keys from Debian's gnupg and openssh),
/// read through the agent's git source and checked against the trusted keys files.
/// </summary>
public sealed class CommitVerifierTests : IDisposable
{
    private readonly TempFolder temp = new();

    [Fact]
    public async Task ProblemAsync_SshSignedByTrustedKey_IsNull()
    {
        var key = SshKey("alice");
        var signers = Signers(("alice@example.test", key));

        var revision = await CommitAsync(SshSigning(key));

        Assert.NotNull(revision.Signature);
        Assert.Null(await CommitVerifier.ProblemAsync(revision, new VerifyConfig(null, signers), CancellationToken.None));
    }

    [Fact]
    public async Task ProblemAsync_SshSignedByOtherKey_NamesTheKey()
    {
        var alice = SshKey("alice");
        var mallory = SshKey("mallory");
        var signers = Signers(("alice@example.test", alice));

        var problem = await CommitVerifier.ProblemAsync(await CommitAsync(SshSigning(mallory)), new VerifyConfig(null, signers), CancellationToken.None);

        Assert.StartsWith("not signed by a trusted key: commit ", problem, StringComparison.Ordinal);
        Assert.Contains($"signed by {Fingerprint(mallory)}, which is not in {signers}", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProblemAsync_Unsigned_SaysSo()
    {
        var problem = await CommitVerifier.ProblemAsync(await CommitAsync([]), new VerifyConfig(null, Signers(("a@example.test", SshKey("a")))), CancellationToken.None);

        Assert.EndsWith("is not signed", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProblemAsync_KeyRotatedInTheFile_FollowsTheFile()
    {
        var old = SshKey("old");
        var fresh = SshKey("new");
        var signers = Signers(("ops@example.test", old));
        var revision = await CommitAsync(SshSigning(fresh));
        Assert.NotNull(await CommitVerifier.ProblemAsync(revision, new VerifyConfig(null, signers), CancellationToken.None));

        File.WriteAllText(signers, $"ops@example.test {File.ReadAllText(fresh + ".pub")}");

        Assert.Null(await CommitVerifier.ProblemAsync(revision, new VerifyConfig(null, signers), CancellationToken.None));
    }

    [Fact]
    public async Task ProblemAsync_GpgSignedByTrustedKey_IsNullAndByOtherKeyNamesIt()
    {
        var (home, trusted) = GpgKey("Trusted <trusted@example.test>");
        var (otherHome, _) = GpgKey("Other <other@example.test>");
        var keys = temp.Combine("trusted.asc");
        File.WriteAllText(keys, Run("gpg", null, new() { ["GNUPGHOME"] = home }, "--batch", "--armor", "--export", trusted));

        var good = await CommitAsync(["-c", "gpg.program=gpg", "-c", $"user.signingkey={trusted}"], new() { ["GNUPGHOME"] = home });
        var bad = await CommitAsync(["-c", "gpg.program=gpg", "-c", "user.signingkey=other@example.test"], new() { ["GNUPGHOME"] = otherHome });

        Assert.Null(await CommitVerifier.ProblemAsync(good, new VerifyConfig(keys, null), CancellationToken.None));
        var problem = await CommitVerifier.ProblemAsync(bad, new VerifyConfig(keys, null), CancellationToken.None);
        Assert.Contains("not signed by a trusted key", problem, StringComparison.Ordinal);
        Assert.Contains($"which is not in {keys}", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProblemAsync_SshSignatureWhereGpgIsTrusted_IsRefused()
    {
        var (home, trusted) = GpgKey("Trusted <t@example.test>");
        var keys = temp.Combine("t.asc");
        File.WriteAllText(keys, Run("gpg", null, new() { ["GNUPGHOME"] = home }, "--batch", "--armor", "--export", trusted));

        var problem = await CommitVerifier.ProblemAsync(await CommitAsync(SshSigning(SshKey("s"))), new VerifyConfig(keys, null), CancellationToken.None);

        Assert.Contains("not signed by a trusted key", problem, StringComparison.Ordinal);
    }

    public void Dispose() => temp.Dispose();

    private static string[] SshSigning(string key) => ["-c", "gpg.format=ssh", "-c", $"user.signingkey={key}.pub"];

    private string SshKey(string name)
    {
        var path = temp.Combine($"{name}-{Guid.NewGuid():N}");
        Run("ssh-keygen", null, null, "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", path);
        return path;
    }

    private static string Fingerprint(string key) => Run("ssh-keygen", null, null, "-lf", key + ".pub").Split(' ')[1];

    private string Signers(params (string Principal, string Key)[] entries)
    {
        var path = temp.Combine($"allowed_signers-{Guid.NewGuid():N}");
        File.WriteAllLines(path, entries.Select(e => $"{e.Principal} {File.ReadAllText(e.Key + ".pub").Trim()}"));
        return path;
    }

    /// <summary>A fresh GNUPGHOME with one ed25519 signing key without passphrase; its fingerprint.</summary>
    private (string Home, string Fingerprint) GpgKey(string uid)
    {
        var home = Directory.CreateDirectory(temp.Combine($"gnupg-{Guid.NewGuid():N}")).FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var env = new Dictionary<string, string> { ["GNUPGHOME"] = home };
        Run("gpg", null, env, "--batch", "--passphrase", "", "--quick-gen-key", uid, "ed25519", "sign", "never");
        var fpr = Run("gpg", null, env, "--batch", "--with-colons", "--list-secret-keys").Split('\n').First(l => l.StartsWith("fpr:", StringComparison.Ordinal)).Split(':')[9];
        return (home, fpr);
    }

    /// <summary>One commit (signed with <paramref name="signing"/> options and -S, or unsigned), read back through <see cref="GitSource"/>.</summary>
    private async Task<SourceRevision> CommitAsync(string[] signing, Dictionary<string, string>? env = null)
    {
        var repo = Directory.CreateDirectory(temp.Combine($"repo-{Guid.NewGuid():N}")).FullName;
        Run("git", repo, null, "init", "-q", "-b", "main");
        File.WriteAllText(Path.Combine(repo, "cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n");
        Run("git", repo, null, "add", "-A");
        Run("git", repo, env, ["-c", "user.name=T", "-c", "user.email=t@example.test", .. signing, "commit", "-q", .. signing.Length > 0 ? ["-S"] : Array.Empty<string>(), "-m", "c"]);
        return await new GitSource(temp.Combine($"cache-{Guid.NewGuid():N}")).GetRevisionAsync(new GitSourceSpec(repo, "main", "."), null, CancellationToken.None);
    }

    private static string Run(string tool, string? dir, Dictionary<string, string>? env, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { WorkingDirectory = dir ?? Path.GetTempPath(), RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        foreach (var (k, v) in env ?? [])
        {
            start.Environment[k] = v;
        }

        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0 ? stdout.Result.Trim() : throw new InvalidOperationException($"{tool} {string.Join(' ', args)}: {stderr}");
    }
}
