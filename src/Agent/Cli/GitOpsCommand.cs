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

    /// <summary>
    /// Parses and runs; usage errors exit 2, as the command-line contract says. An internal error
    /// (a bug) exits 1 with one line naming the exception's type and where it was thrown, not its
    /// message or a stack trace: a message may quote anything the pass held, Secret values included.
    /// The pass has already written its final entry (PassRunner). GITOPS_TRACE=1 prints the trace.
    /// </summary>
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

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (OperationCanceledException)
        {
            return 1;
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine(InternalError(ex));
            if (Environment.GetEnvironmentVariable("GITOPS_TRACE") == "1")
            {
                Console.Error.WriteLine(ex);
            }

            return 1;
        }
    }

    /// <summary>`error: internal error (InvalidOperationException in Planner.Plan); please report it`.</summary>
    internal static string InternalError(Exception ex)
    {
        // DiagnosticMethodInfo, not TargetSite: it needs no reflection metadata, so it works NativeAOT-compiled too.
        var frame = new System.Diagnostics.StackTrace(ex).GetFrame(0);
        var method = frame is null ? null : System.Diagnostics.DiagnosticMethodInfo.Create(frame);
        var site = method is null ? "" : $" in {method.DeclaringTypeName?.Split('.')[^1]}.{method.Name}";
        return $"error: internal error ({ex.GetType().Name}{site}); please report it (GITOPS_TRACE=1 shows the stack trace)";
    }
}
