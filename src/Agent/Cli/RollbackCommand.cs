using System.CommandLine;
using GitOps.Agent.Git;

namespace GitOps.Agent.Cli;

/// <summary>
/// <c>gitops rollback --to SHA</c>: one new commit on top of the branch whose tree (of --path, or
/// all) equals SHA's. The agent then syncs it like any other commit; history stays linear and
/// honest, and rolling the rollback back is another commit.
/// </summary>
internal static class RollbackCommand
{
    public static Command Build()
    {
        var repo = CliOptions.Repo();
        var branch = CliOptions.Branch();
        var to = new Option<string>("--to") { Description = "The commit whose state to return to", Required = true };
        var path = new Option<string?>("--path") { Description = "Only this folder of the repository" };
        var push = new Option<bool>("--push") { Description = "Push the rollback commit to the branch" };
        var cache = new Option<string>("--cache-dir") { DefaultValueFactory = _ => CliOptions.DefaultCacheDir() };
        var command = new Command("rollback", "Make one commit that returns the branch (or a path of it) to an earlier commit") { repo, branch, to, path, push, cache };
        command.SetAction(async (parse, ct) =>
        {
            var rollback = new GitRollback(CacheLayout.Repositories(parse.GetValue(cache)!));
            var spec = new GitSourceSpec(parse.GetValue(repo)!, parse.GetValue(branch)!, parse.GetValue(path) ?? ".");
            try
            {
                var result = await rollback.CreateAsync(spec, parse.GetValue(branch)!, parse.GetValue(to)!, parse.GetValue(path), parse.GetValue(push), ct);
                Console.Out.WriteLine($"{result.CommitSha} {result.Message.Split('\n')[0]}");
                Console.Out.WriteLine(result.Pushed ? $"pushed to {parse.GetValue(branch)}" : "not pushed (use --push)");
                return 0;
            }
            catch (GitSourceException ex)
            {
                return CliOutput.Error(ex.Message, 1);
            }
        });
        return command;
    }
}
