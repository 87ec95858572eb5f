using System.CommandLine;
using GitOps.Agent.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GitOps.Agent.Cli;

/// <summary><c>gitops agent --config FILE</c>: the long-running agent (in a Pod, or anywhere with a kubeconfig).</summary>
internal static class AgentCommand
{
    public static Command Build()
    {
        var config = new Option<FileInfo>("--config") { Description = "Agent configuration file (YAML)", Required = true };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Kubeconfig file (default: $KUBECONFIG, or the in-cluster account)" };
        var command = new Command(
            "agent",
            "Run the agent: sync every target on its interval, report on the commits. Exits 0 after SIGTERM or Ctrl-C, "
            + "1 when it cannot start (its port is in use) or a component stops on a fatal error, "
            + "2 for a configuration error or no cluster to talk to; each error is one line on stderr.")
        {
            config,
            kubeconfig,
        };
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
            return await RunAsync(host, ct);
        });
        return command;
    }

    /// <summary>0 only for a clean shutdown: a failed start, or a component that died, is an error exit.</summary>
    private static async Task<int> RunAsync(IHost host, CancellationToken ct)
    {
        try
        {
            await host.StartAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return CliOutput.Error(StartError(ex), 1);
        }

        await host.WaitForShutdownAsync(ct);
        var died = host.Services.GetServices<IHostedService>().OfType<BackgroundService>().FirstOrDefault(s => s.ExecuteTask is { IsFaulted: true });
        return died?.ExecuteTask?.Exception?.GetBaseException() is { } fatal
            ? CliOutput.Error($"{died.GetType().Name} stopped: {fatal.Message.ReplaceLineEndings(" ")}", 1)
            : 0;
    }

    /// <summary>One line: the status server's own message says what and where; anything else is named as a start failure.</summary>
    private static string StartError(Exception ex) => ex switch
    {
        AggregateException { InnerExceptions.Count: 1 } one => StartError(one.InnerExceptions[0]),
        StatusServerException status => status.Message,
        _ => $"the agent could not start: {ex.Message.ReplaceLineEndings(" ")}",
    };
}
