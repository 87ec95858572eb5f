using System.Diagnostics;
using System.Text.RegularExpressions;

namespace GitOps.Agent.Git;

/// <summary>Which keys a target trusts: an OpenPGP keyring file (armored or binary) or an ssh allowed-signers file.</summary>
public sealed record VerifyConfig(string? GpgKeysFile, string? SshAllowedSignersFile);

/// <summary>
/// Checks that a commit carries a valid signature by a trusted key, with the tools users already
/// sign with: <c>gpg --verify</c> in a private, throw-away GNUPGHOME holding only the listed keys,
/// and <c>ssh-keygen -Y verify</c> against the allowed-signers file. The key file is read on every
/// check, so a key is rotated by changing the file.
/// </summary>
public static partial class CommitVerifier
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Null when the commit is signed by a trusted key; otherwise why not ("not signed by a trusted key: …").</summary>
    public static async Task<string?> ProblemAsync(SourceRevision revision, VerifyConfig config, CancellationToken ct)
    {
        const string Untrusted = "not signed by a trusted key";
        if (revision.Signature is not { } signature)
        {
            return $"{Untrusted}: commit {revision.CommitSha[..12]} is not signed";
        }

        var folder = Directory.CreateTempSubdirectory("gitops-verify-");
        try
        {
            var sig = Path.Combine(folder.FullName, "commit.sig");
            var data = Path.Combine(folder.FullName, "commit.data");
            await File.WriteAllTextAsync(sig, signature.Signature, ct);
            await File.WriteAllTextAsync(data, signature.SignedData, ct);
            var why = config.SshAllowedSignersFile is { } signers
                ? await SshAsync(signers, signature.Signature, sig, data, folder.FullName, ct)
                : await GpgAsync(config.GpgKeysFile!, sig, data, folder.FullName, ct);
            return why is null ? null : $"{Untrusted}: commit {revision.CommitSha[..12]}: {why}";
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task<string?> SshAsync(string signers, string armored, string sig, string data, string folder, CancellationToken ct)
    {
        if (!armored.Contains("BEGIN SSH SIGNATURE", StringComparison.Ordinal))
        {
            return "the signature is not an SSH signature (the target trusts ssh allowed signers)";
        }

        EnsureReadable(signers);
        var found = await RunAsync("ssh-keygen", folder, null, null, ct, "-Y", "find-principals", "-f", signers, "-s", sig);
        var principal = found.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (found.ExitCode != 0 || principal is null)
        {
            var key = await RunAsync("ssh-keygen", folder, data, null, ct, "-Y", "check-novalidate", "-n", "git", "-s", sig);
            return $"signed by {SshKey(key.Stdout + key.Stderr) ?? "an unknown key"}, which is not in {signers}";
        }

        var verified = await RunAsync("ssh-keygen", folder, data, null, ct, "-Y", "verify", "-f", signers, "-I", principal, "-n", "git", "-s", sig);
        return verified.ExitCode == 0 ? null : $"the signature of {principal} does not verify: {verified.Stderr.Trim()}";
    }

    private static async Task<string?> GpgAsync(string keys, string sig, string data, string folder, CancellationToken ct)
    {
        EnsureReadable(keys);
        var home = Directory.CreateDirectory(Path.Combine(folder, "gnupg")).FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute); // gpg warns otherwise
        }

        var env = new Dictionary<string, string> { ["GNUPGHOME"] = home };
        var imported = await RunAsync("gpg", folder, null, env, ct, "--batch", "--quiet", "--import", keys);
        if (imported.ExitCode != 0)
        {
            return $"{keys} holds no usable OpenPGP key: {imported.Stderr.Trim()}";
        }

        var verified = await RunAsync("gpg", folder, null, env, ct, "--batch", "--status-fd", "1", "--verify", sig, data);
        if (GoodSignature().Match(verified.Stdout) is { Success: true } good)
        {
            return null; // a good signature by a key of the file: the only keys this keyring holds
        }

        var keyId = IssuerKey().Match(verified.Stdout) is { Success: true } m ? m.Groups[1].Value : null;
        if (ExpiredOrRevoked().Match(verified.Stdout) is { Success: true } stale)
        {
            return $"signed by OpenPGP key {stale.Groups[2].Value}, which has {(stale.Groups[1].Value == "REVKEYSIG" ? "been revoked" : "expired")}";
        }

        return verified.Stdout.Contains("[GNUPG:] BADSIG", StringComparison.Ordinal) ? $"the signature by key {keyId} is bad (the commit was altered)"
            : keyId is not null ? $"signed by OpenPGP key {keyId}, which is not in {keys}"
            : "the signature is not an OpenPGP signature (the target trusts gpg keys)";
    }

    private static void EnsureReadable(string file)
    {
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"the trusted keys file {file} does not exist", file);
        }
    }

    private static string? SshKey(string output) => SshFingerprint().Match(output) is { Success: true } m ? m.Value : null;

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        string tool, string folder, string? stdinFile, Dictionary<string, string>? env, CancellationToken ct, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (k, v) in env ?? [])
        {
            start.Environment[k] = v;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {tool}");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ToolTimeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        if (stdinFile is not null)
        {
            await process.StandardInput.WriteAsync(await File.ReadAllTextAsync(stdinFile, timeout.Token));
        }

        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} did not finish within {ToolTimeout.TotalSeconds:0} s");
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    // GOODSIG, not VALIDSIG: gpg prints VALIDSIG also beside EXPKEYSIG and REVKEYSIG (a key of the
    // file that has expired or was revoked since), which must not be trusted.
    [GeneratedRegex(@"^\[GNUPG:\] GOODSIG ([0-9A-F]+)", RegexOptions.Multiline)]
    private static partial Regex GoodSignature();

    [GeneratedRegex(@"^\[GNUPG:\] (EXPKEYSIG|REVKEYSIG|EXPSIG) ([0-9A-F]+)", RegexOptions.Multiline)]
    private static partial Regex ExpiredOrRevoked();

    [GeneratedRegex(@"^\[GNUPG:\] (?:ERRSIG|BADSIG|NO_PUBKEY) ([0-9A-F]+)", RegexOptions.Multiline)]
    private static partial Regex IssuerKey();

    [GeneratedRegex(@"SHA256:[A-Za-z0-9+/]+")]
    private static partial Regex SshFingerprint();
}
