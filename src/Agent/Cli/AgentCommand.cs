using System.CommandLine;
using GitOps.Agent.Hosting;
using Microsoft.Extensions.Hosting;

namespace GitOps.Agent.Cli;

/// <summary><c>gitops agent --config FILE</c>: the long-running agent (in a Pod, or anywhere with a kubeconfig).</summary>
internal static class AgentCommand
{
    public static Command Build()
    {
        var config = new Option<FileInfo>("--config") { Description = "Agent configuration file (YAML)", Required = true };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Kubeconfig file (default: $KUBECONFIG, or the in-cluster account)" };
        var command = new Command("agent", "Run the agent: sync every target on its interval, report on the commits") { config, kubeconfig };
        command.SetAction(async (parse, ct) =>
        {
            AgentConfig loaded;
            try
            {
                loaded = AgentConfigLoader.Load(parse.GetValue(config)!.FullName);
            }
            catch (Exception ex) when (ex is AgentConfigException or IOException or GitOps.Diff.Render.ManifestException)
            {
                return CliOutput.Error(ex.Message, 2);
            }

            Kube.KubeApi api;
            try
            {
                api = Kube.KubeApi.Connect(parse.GetValue(kubeconfig));
            }
            catch (Exception ex) when (ex is k8s.Exceptions.KubeConfigException or IOException)
            {
                return CliOutput.Error($"no cluster to talk to: {ex.Message} (set --kubeconfig or KUBECONFIG, or run in a Pod)", 2);
            }

            using var host = AgentHost.Build(loaded, api);
            await host.RunAsync(ct);
            return 0;
        });
        return command;
    }
}
