using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace GitOps.PodSimulator;

/// <summary>
/// A minimal dynamic provisioner: every Pending claim without a volume gets a hostPath volume of
/// its size, access modes, class and volume mode, pre-bound to it through claimRef, and the real
/// PersistentVolume controller binds the two. Volumes it made that are Released (their claim was
/// deleted) it deletes, as a provisioner with reclaim policy Delete would. Polls once a second.
/// </summary>
internal sealed class VolumeProvisioner(Kubernetes client, SimOptions options)
{
    private const string Prefix = "gitops-podsim-";
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public async Task RunAsync(CancellationToken ct)
    {
        var failing = false;
        while (true)
        {
            try
            {
                await ProvisionAsync(ct);
                if (failing)
                {
                    Log.Info("volumes: provisioning again after the outage");
                }

                failing = false;
            }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException or IOException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                if (!failing)
                {
                    Log.Info($"volumes: failed, retrying: {e.Message}");
                }

                failing = true;
            }

            await Task.Delay(Interval, ct);
        }
    }

    private async Task ProvisionAsync(CancellationToken ct)
    {
        var claims = await client.CoreV1.ListPersistentVolumeClaimForAllNamespacesAsync(cancellationToken: ct);
        var volumes = await client.CoreV1.ListPersistentVolumeAsync(cancellationToken: ct);
        var existing = volumes.Items.Select(v => v.Metadata.Name).ToHashSet();
        foreach (var claim in claims.Items)
        {
            if (claim.Status?.Phase == "Pending" && string.IsNullOrEmpty(claim.Spec.VolumeName)
                && claim.Metadata.DeletionTimestamp is null && !existing.Contains(Prefix + claim.Metadata.Uid))
            {
                await CreateAsync(claim, ct);
            }
        }

        foreach (var volume in volumes.Items)
        {
            if (volume.Metadata.Name.StartsWith(Prefix, StringComparison.Ordinal) && volume.Status?.Phase is "Released" or "Failed")
            {
                await DeleteAsync(volume.Metadata.Name, ct);
            }
        }
    }

    private async Task CreateAsync(V1PersistentVolumeClaim claim, CancellationToken ct)
    {
        var size = claim.Spec.Resources?.Requests?.TryGetValue("storage", out var requested) == true ? requested : new ResourceQuantity("1Gi");
        var volume = new V1PersistentVolume
        {
            Metadata = new V1ObjectMeta
            {
                Name = Prefix + claim.Metadata.Uid,
                // A claim's selector must match the volume's labels for the controller to bind them.
                Labels = claim.Spec.Selector?.MatchLabels,
                Annotations = new Dictionary<string, string> { ["pv.kubernetes.io/provisioned-by"] = "gitops-podsim" },
            },
            Spec = new V1PersistentVolumeSpec
            {
                Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = size },
                AccessModes = claim.Spec.AccessModes is { Count: > 0 } modes ? modes : ["ReadWriteOnce"],
                StorageClassName = claim.Spec.StorageClassName ?? "",
                VolumeMode = claim.Spec.VolumeMode ?? "Filesystem",
                PersistentVolumeReclaimPolicy = "Retain", // deleted here once Released, see above
                HostPath = new V1HostPathVolumeSource { Path = $"/tmp/gitops-podsim/{options.NodeName}/{claim.Metadata.Uid}" },
                ClaimRef = new V1ObjectReference
                {
                    ApiVersion = "v1", Kind = "PersistentVolumeClaim", NamespaceProperty = claim.Metadata.NamespaceProperty,
                    Name = claim.Metadata.Name, Uid = claim.Metadata.Uid,
                },
            },
        };
        try
        {
            await client.CoreV1.CreatePersistentVolumeAsync(volume, cancellationToken: ct);
            Log.Info($"volume {volume.Metadata.Name}: provisioned {size} for {claim.Metadata.NamespaceProperty}/{claim.Metadata.Name}");
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // Made in an earlier round whose list was older than the create.
        }
    }

    private async Task DeleteAsync(string name, CancellationToken ct)
    {
        try
        {
            await client.CoreV1.DeletePersistentVolumeAsync(name, cancellationToken: ct);
            Log.Info($"volume {name}: released by its claim, deleted");
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Deleted meanwhile.
        }
    }
}
