using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace GitOps.PodSimulator;

/// <summary>
/// The ingress controller and load-balancer provider of the simulated cluster (what ingress-nginx
/// and MetalLB do): every Ingress and every Service of type LoadBalancer without an address gets
/// 127.0.0.1 in <c>status.loadBalancer.ingress</c>, unless annotated
/// <see cref="SimOptions.NoAddress"/> "true" (a controller that never answers). Polls once a second.
/// </summary>
internal sealed class AddressPublisher(Kubernetes client)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly string Patch = new JsonObject
    {
        ["status"] = new JsonObject { ["loadBalancer"] = new JsonObject { ["ingress"] = new JsonArray(new JsonObject { ["ip"] = "127.0.0.1" }) } },
    }.ToJsonString();

    public async Task RunAsync(CancellationToken ct)
    {
        var failing = false;
        while (true)
        {
            try
            {
                await PublishAsync(ct);
                failing = false;
            }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException or IOException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                if (!failing)
                {
                    Log.Info($"addresses: failed, retrying: {e.Message}");
                }

                failing = true;
            }

            await Task.Delay(Interval, ct);
        }
    }

    private static bool Wants(V1ObjectMeta meta, int addresses) =>
        meta.DeletionTimestamp is null && addresses == 0
        && !(meta.Annotations is { } annotations && annotations.TryGetValue(SimOptions.NoAddress, out var no) && no == "true");

    private async Task PublishAsync(CancellationToken ct)
    {
        var ingresses = await client.NetworkingV1.ListIngressForAllNamespacesAsync(cancellationToken: ct);
        foreach (var ingress in ingresses.Items.Where(i => Wants(i.Metadata, i.Status?.LoadBalancer?.Ingress?.Count ?? 0)))
        {
            await IgnoreGoneAsync(client.NetworkingV1.PatchNamespacedIngressStatusAsync(
                new V1Patch(Patch, V1Patch.PatchType.MergePatch), ingress.Metadata.Name, ingress.Metadata.NamespaceProperty, cancellationToken: ct));
            Log.Info($"ingress {ingress.Metadata.NamespaceProperty}/{ingress.Metadata.Name}: address 127.0.0.1");
        }

        var services = await client.CoreV1.ListServiceForAllNamespacesAsync(cancellationToken: ct);
        foreach (var service in services.Items.Where(s => s.Spec.Type == "LoadBalancer" && Wants(s.Metadata, s.Status?.LoadBalancer?.Ingress?.Count ?? 0)))
        {
            await IgnoreGoneAsync(client.CoreV1.PatchNamespacedServiceStatusAsync(
                new V1Patch(Patch, V1Patch.PatchType.MergePatch), service.Metadata.Name, service.Metadata.NamespaceProperty, cancellationToken: ct));
            Log.Info($"service {service.Metadata.NamespaceProperty}/{service.Metadata.Name}: load balancer 127.0.0.1");
        }
    }

    private static async Task IgnoreGoneAsync<T>(Task<T> patch)
    {
        try
        {
            await patch;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Deleted since the list.
        }
    }
}
