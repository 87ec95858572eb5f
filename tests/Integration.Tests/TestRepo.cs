namespace GitOps.Integration.Tests;

/// <summary>A real git repository in a temporary folder, changed with the git CLI as a user would.</summary>
internal sealed class TestRepo : IDisposable
{
    private static readonly Dictionary<string, string> Identity = new()
    {
        ["GIT_AUTHOR_NAME"] = "Test",
        ["GIT_AUTHOR_EMAIL"] = "test@example.com",
        ["GIT_COMMITTER_NAME"] = "Test",
        ["GIT_COMMITTER_EMAIL"] = "test@example.com",
    };

    public TestRepo()
    {
        Directory.CreateDirectory(Root);
        Git("init", "-q", "-b", "main");
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), ClusterFixture.UniqueName("repo"));

    public TestRepo Write(string path, string content)
    {
        var full = Path.Combine(Root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return this;
    }

    public TestRepo Delete(string path)
    {
        File.Delete(Path.Combine(Root, path));
        return this;
    }

    /// <summary>Commits everything and returns the new commit's SHA.</summary>
    public string Commit(string message)
    {
        Git("add", "-A");
        Git("commit", "-q", "--allow-empty", "-m", message);
        return Head;
    }

    public string Revert(string sha)
    {
        Git("revert", "--no-edit", sha);
        return Head;
    }

    public string Head => Git("rev-parse", "HEAD").Trim();

    public string Git(params string[] args) => Processes.Run("git", Root, Identity, args);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temp folder is harmless
        }
    }
}
