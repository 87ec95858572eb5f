using System.Diagnostics;
using GitOps.Agent.Git;
using GitOps.Agent.Render;
using GitOps.Agent.Tests.Git;

namespace GitOps.Agent.Tests.Render;

/// <summary>The offline copy of <c>gitops render --path</c>: in a git work tree, what git ignores stays out (and out of the read budget).</summary>
public sealed class FolderExportTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task CopyAsync_BuiltCheckout_LeavesOutWhatGitIgnoresAndStaysInTheBudget()
    {
        var root = Checkout();
        Git(root, "init", "-q");
        Git(root, "add", ".gitignore", "base/kustomization.yaml");
        var destination = temp.Combine("copy");

        await FolderExport.CopyAsync(root, "overlays/prod", destination, Budget, CancellationToken.None);

        Assert.True(File.Exists(Path.Combine(destination, "base", "kustomization.yaml"))); // tracked
        Assert.True(File.Exists(Path.Combine(destination, "overlays", "prod", "kustomization.yaml"))); // untracked, not ignored
        Assert.False(Directory.Exists(Path.Combine(destination, "bin")));
        Assert.False(Directory.Exists(Path.Combine(destination, "overlays", "prod", "obj")));
        Assert.False(Directory.Exists(Path.Combine(destination, ".git")));
    }

    [Fact]
    public async Task CopyAsync_FolderOutsideAnyWorkTree_CopiesEveryFileSoBuildOutputCounts()
    {
        var root = Checkout();

        var ex = await Assert.ThrowsAsync<GitSourceException>(() => FolderExport.CopyAsync(root, "overlays/prod", temp.Combine("copy"), Budget, CancellationToken.None));

        Assert.Contains("over the read budgets", ex.Message, StringComparison.Ordinal);
    }

    private static GitOptions Budget => GitOptions.Default with { MaxTotalBytes = 100_000 };

    /// <summary>A checkout after a build: manifests, and ignored build output far over the budget.</summary>
    private string Checkout()
    {
        var root = temp.Combine("checkout");
        Write(root, ".gitignore", "bin/\nobj/\n");
        Write(root, "base/kustomization.yaml", "resources: []\n");
        Write(root, "overlays/prod/kustomization.yaml", "resources: [../../base]\n");
        Write(root, "bin/app.dll", new string('x', 200_000));
        Write(root, "overlays/prod/obj/cache.bin", new string('y', 200_000));
        return root;
    }

    private static void Write(string root, string path, string text)
    {
        var file = Path.Combine(root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, text);
    }

    private static void Git(string dir, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = dir, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var git = Process.Start(start)!;
        var stderr = git.StandardError.ReadToEnd();
        git.WaitForExit();
        Assert.True(git.ExitCode == 0, $"git {string.Join(' ', args)}: {stderr}");
    }
}
