using System.CommandLine;
using System.Reflection;
using GitOps.Agent.Render;

namespace GitOps.Agent.Cli;

/// <summary><c>gitops version</c>: the agent's version and the renderers it would run (paths and versions, or missing).</summary>
internal static class VersionCommand
{
    public static Command Build()
    {
        var command = new Command("version", "Print the version of gitops and of the Kustomize and Helm it runs");
        command.SetAction(async (_, ct) =>
        {
            var version = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            await Console.Out.WriteLineAsync($"gitops: {version}");
            foreach (var line in await new Tools(RenderOptions.FromEnvironment()).DescribeAsync(ct))
            {
                await Console.Out.WriteLineAsync(line);
            }

            return 0;
        });
        return command;
    }
}
