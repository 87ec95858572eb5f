using GitOps.PodSimulator;
using System.Runtime.InteropServices;
using k8s;

// gitops-podsim --kubeconfig FILE [--node NAME]: runs until SIGTERM/SIGINT. Every loop survives an
// API-server outage: it logs the failure, waits, lists again and carries on.
var options = SimOptions.Parse(args);
var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(options.Kubeconfig);
using var client = new Kubernetes(config);
using var stop = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Cancel(); });

Log.Info($"simulating node {options.NodeName} against {config.Host}");
var node = new NodeHeartbeat(client, options);
var pods = new PodLoop(client, options);
var volumes = new VolumeProvisioner(client, options);
try
{
    await Task.WhenAll(node.RunAsync(stop.Token), pods.RunAsync(stop.Token), volumes.RunAsync(stop.Token));
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    // SIGTERM from eng/testenv.sh down.
}

Log.Info("stopped");
