using System.CommandLine;

namespace GitOps.Agent.Cli;

/// <summary>The `gitops` command tree; each verb lives in a file of its own.</summary>
internal static class GitOpsCommand
{
    public static RootCommand Build()
    {
        var root = new RootCommand("gitops: keep a Kubernetes cluster equal to a git branch.");
        root.Subcommands.Add(RenderCommand.Build());
        root.Subcommands.Add(SyncCommand.BuildSync());
        root.Subcommands.Add(SyncCommand.BuildDiff());
        root.Subcommands.Add(StatusCommand.Build());
        root.Subcommands.Add(RollbackCommand.Build());
        root.Subcommands.Add(AgentCommand.Build());
        root.Subcommands.Add(VersionCommand.Build());
        return root;
    }

    /// <summary>Parses and runs; usage errors exit 2, as the command-line contract says.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var parse = Build().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                Console.Error.WriteLine($"error: {error.Message}");
            }

            Console.Error.WriteLine("Run 'gitops --help' for usage.");
            return 2;
        }

        return await parse.InvokeAsync();
    }
}
