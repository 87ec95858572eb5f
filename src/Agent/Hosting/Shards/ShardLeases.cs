using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace GitOps.Agent.Hosting.Shards;

/// <summary>
/// The Leases of sharding, in the agent's namespace: one heartbeat per replica
/// (<c>&lt;leaseName&gt;-replica-&lt;identity&gt;</c>, held by that replica) and one per shard
/// (<c>&lt;leaseName&gt;-shard-&lt;i&gt;</c>, held by the replica syncing it, or by nobody).
/// Every change is a compare-and-swap on the resourceVersion read: two replicas can never both
/// take a shard, whatever they believe; the loser gets <c>false</c>.
/// </summary>
internal sealed class ShardLeases(IKubernetes client, string ns, string prefix, string identity, TimeSpan duration, TimeProvider clock)
{
    public const string RoleLabel = "gitops.dev/lease-role";

    public const string OfLabel = "gitops.dev/lease-of";

    public string Identity => identity;

    public string HeartbeatName { get; } = $"{prefix}-replica-{DnsName(identity)}";

    public string ShardName(int shard) => $"{prefix}-shard-{shard}";

    /// <summary>The collection and object paths of this replica's own Lease writes (exempt from the fence they make).</summary>
    public IReadOnlyList<string> Paths(int shards)
    {
        var leases = $"/apis/coordination.k8s.io/v1/namespaces/{ns}/leases";
        return [leases, $"{leases}/{HeartbeatName}", .. Enumerable.Range(0, shards).Select(s => $"{leases}/{ShardName(s)}")];
    }

    /// <summary>Every Lease of this agent (heartbeats and shards), in one LIST.</summary>
    public async Task<IReadOnlyList<V1Lease>> ListAsync(CancellationToken ct)
    {
        var list = await client.CoordinationV1.ListNamespacedLeaseAsync(ns, labelSelector: $"{OfLabel}={prefix}", cancellationToken: ct);
        return [.. list.Items];
    }

    /// <summary>Says this replica is alive: renews its heartbeat (<paramref name="current"/> as listed, null when absent).</summary>
    public Task<bool> HeartbeatAsync(V1Lease? current, CancellationToken ct) => HoldAsync(HeartbeatName, "replica", current, ct);

    /// <summary>Takes (or renews) a shard: true when this replica holds it now, false when someone else changed it first.</summary>
    public Task<bool> HoldAsync(int shard, V1Lease? current, CancellationToken ct) => HoldAsync(ShardName(shard), "shard", current, ct);

    /// <summary>Gives a shard up at once (its workers have stopped), so its next holder need not wait out the Lease.</summary>
    public async Task<bool> ReleaseAsync(V1Lease current, CancellationToken ct)
    {
        current.Spec.HolderIdentity = null;
        current.Spec.RenewTime = clock.GetUtcNow().UtcDateTime;
        return await SwapAsync(() => client.CoordinationV1.ReplaceNamespacedLeaseAsync(current, current.Metadata.Name, ns, cancellationToken: ct));
    }

    private async Task<bool> HoldAsync(string name, string role, V1Lease? current, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (current is null)
        {
            var lease = new V1Lease
            {
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = new Dictionary<string, string> { [OfLabel] = prefix, [RoleLabel] = role } },
                Spec = new V1LeaseSpec { HolderIdentity = identity, LeaseDurationSeconds = (int)Math.Ceiling(duration.TotalSeconds), AcquireTime = now, RenewTime = now, LeaseTransitions = 0 },
            };
            return await SwapAsync(() => client.CoordinationV1.CreateNamespacedLeaseAsync(lease, ns, cancellationToken: ct));
        }

        var spec = current.Spec ??= new V1LeaseSpec();
        if (spec.HolderIdentity != identity)
        {
            spec.AcquireTime = now;
            spec.LeaseTransitions = (spec.LeaseTransitions ?? 0) + 1;
        }

        spec.HolderIdentity = identity;
        spec.LeaseDurationSeconds = (int)Math.Ceiling(duration.TotalSeconds);
        spec.RenewTime = now;
        return await SwapAsync(() => client.CoordinationV1.ReplaceNamespacedLeaseAsync(current, name, ns, cancellationToken: ct));
    }

    /// <summary>The write, or false when another writer won the compare-and-swap (conflict, or created first).</summary>
    private static async Task<bool> SwapAsync(Func<Task<V1Lease>> write)
    {
        try
        {
            await write();
            return true;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>A replica's heartbeat (not a shard's Lease).</summary>
    public static bool IsHeartbeat(V1Lease lease) =>
        lease.Metadata.Labels is { } labels && labels.TryGetValue(RoleLabel, out var role) && role == "replica";

    /// <summary>An identity as a Lease name's part: Pod names already are; anything else is lower-cased and cleaned.</summary>
    internal static string DnsName(string identity)
    {
        var chars = identity.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '-').ToArray();
        var name = new string(chars).Trim('-', '.');
        return name.Length == 0 ? "replica" : name[..Math.Min(name.Length, 200)];
    }
}
