namespace GitOps.Agent.Tests.Git;

/// <summary>
/// A bare "remote" repository and a work tree that pushes to it, built with the git CLI, plus a
/// cache folder for the agent. Each commit is pushed to <c>main</c> at once.
/// </summary>
internal sealed class RemoteRepository : IDisposable
{
    private readonly TempFolder temp = new();
    private readonly List<string> pendingGitlinks = [];

    /// <param name="bareFolder">Where the bare repository goes; default a folder of its own.</param>
    public RemoteRepository(string? bareFolder = null)
    {
        BarePath = bareFolder ?? temp.Combine("remote.git");
        WorkPath = temp.Combine("work");
        CachePath = temp.Combine("cache");
        GitCli.Run(temp.Path, "init", "--quiet", "--bare", "--initial-branch=main", BarePath);
        GitCli.Run(temp.Path, "init", "--quiet", "--initial-branch=main", WorkPath);
        GitCli.Run(WorkPath, "remote", "add", "origin", BarePath);
    }

    public string BarePath { get; }

    public string WorkPath { get; }

    public string CachePath { get; }

    public string TempPath => temp.Path;

    public RemoteRepository Write(string path, string content)
    {
        var full = Path.Combine(WorkPath, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return this;
    }

    public RemoteRepository Delete(string path)
    {
        GitCli.Run(WorkPath, "rm", "-r", "--quiet", path);
        return this;
    }

    public RemoteRepository Symlink(string path, string target)
    {
        var full = Path.Combine(WorkPath, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.CreateSymbolicLink(full, target);
        return this;
    }

    /// <summary>A submodule entry (gitlink) pointing at any commit; what git stores for a submodule.</summary>
    /// <remarks>Staged at commit time, after <c>add --all</c>, which would otherwise drop it.</remarks>
    public RemoteRepository Gitlink(string path, string commitSha)
    {
        pendingGitlinks.Add($"160000,{commitSha},{path}");
        return this;
    }

    /// <summary>Commits everything and pushes to main; returns the new commit's SHA.</summary>
    public string Commit(string message, string branch = "main")
    {
        GitCli.Run(WorkPath, "add", "--all");
        foreach (var gitlink in pendingGitlinks)
        {
            GitCli.Run(WorkPath, "update-index", "--add", "--cacheinfo", gitlink);
        }

        pendingGitlinks.Clear();
        GitCli.Run(WorkPath, "commit", "--quiet", "--allow-empty", "-m", message);
        GitCli.Run(WorkPath, "push", "--quiet", "origin", $"HEAD:refs/heads/{branch}");
        return GitCli.Run(WorkPath, "rev-parse", "HEAD");
    }

    public void Tag(string name, bool annotated = true)
    {
        if (annotated)
        {
            GitCli.Run(WorkPath, "tag", "-a", name, "-m", $"tag {name}");
        }
        else
        {
            GitCli.Run(WorkPath, "tag", name);
        }

        GitCli.Run(WorkPath, "push", "--quiet", "origin", $"refs/tags/{name}");
    }

    /// <summary>Runs git in the bare remote, as a reader of the shared repository would.</summary>
    public string RemoteGit(params string[] args) => GitCli.Run(BarePath, args);

    public void Dispose() => temp.Dispose();
}
