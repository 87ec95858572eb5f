using System.CommandLine;

namespace GitOps.Agent.Cli;

/// <summary>The `gitops` command tree; each verb lives in a file of its own.</summary>
internal static class GitOpsCommand
{
    public static RootCommand Build()
    {
        var root = new RootCommand("gitops: keep a Kubernetes cluster equal to a git branch.");
        return root;
    }
}
