using System.Runtime.Versioning;

namespace GitOps.Agent.Tests.Git;

/// <summary>
/// Stands in for ssh: runs the command libgit2 asks the "remote host" for (git-upload-pack or
/// git-receive-pack) on this machine, so ssh remotes and server-side hooks work without an sshd.
/// Each call's arguments are appended to <c>&lt;script&gt;.log</c>.
/// </summary>
internal static class FakeSsh
{
    [UnsupportedOSPlatform("windows")]
    public static string Create(string folder)
    {
        var script = Path.Combine(folder, "fake-ssh");
        File.WriteAllText(script, "#!/bin/sh\nfor last; do :; done\necho \"$*\" >> \"$0.log\"\nexec sh -c \"$last\"\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return script;
    }

    /// <summary>An ssh URL for a repository on this machine.</summary>
    public static string UrlOf(string barePath) => $"ssh://git@gitserver.invalid{barePath}";

    /// <summary>Installs a hook script (e.g. pre-receive) in a bare repository.</summary>
    [UnsupportedOSPlatform("windows")]
    public static void Hook(string barePath, string name, string body)
    {
        var hook = Path.Combine(barePath, "hooks", name);
        File.WriteAllText(hook, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
