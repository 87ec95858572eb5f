using System.Text.Json.Nodes;
using GitOps.Agent.Kube;

namespace GitOps.Integration.Tests.Deploy;

/// <summary>
/// The two namespaces the deploy manifests name, present for the whole test class. The manifests
/// use fixed names, so these tests cannot pick unique ones as the others do. A namespace that
/// already existed (a demo run, an installation on the test cluster) is used and left alone. One
/// this fixture created is deleted at the end, unless someone else has claimed it meanwhile (a
/// demo applying its own Namespace manifest changes the labels): the test server may be shared.
/// A namespace still terminating from an earlier run is waited for and created afresh, so runs
/// back to back work.
/// </summary>
public sealed class DeployNamespaces : IAsyncLifetime
{
    private const string MarkLabel = "gitops.dev/created-by";
    private const string Mark = "deploy-manifest-tests";
    private static readonly TimeSpan TerminationWait = TimeSpan.FromSeconds(90);
    private readonly Dictionary<string, string> created = []; // name → uid

    /// <summary>Where the agent runs: its Lease, inventories and Events.</summary>
    public string Agent { get; } = "gitops-system";

    /// <summary>The namespace the least-privilege RBAC lists.</summary>
    public string Managed { get; } = "django-demo";

    public async Task InitializeAsync()
    {
        using var api = new ClusterFixture().Connect();
        foreach (var name in new[] { Agent, Managed })
        {
            if (await EnsureAsync(api, name) is { } uid)
            {
                created[name] = uid;
            }
        }
    }

    public async Task DisposeAsync()
    {
        using var api = new ClusterFixture().Connect();
        foreach (var (name, uid) in created)
        {
            var live = await api.GetAsync($"/api/v1/namespaces/{name}", CancellationToken.None);
            var labels = live?["metadata"]?["labels"]?.AsObject();
            var untouched = (string?)live?["metadata"]?["uid"] == uid && labels is { Count: 1 } && (string?)labels[MarkLabel] == Mark;
            if (untouched)
            {
                await api.DeleteAsync($"/api/v1/namespaces/{name}", CancellationToken.None);
            }
        }
    }

    /// <summary>Makes sure the namespace exists; its uid when this call created it, null when it was there.</summary>
    private static async Task<string?> EnsureAsync(KubeApi api, string name)
    {
        var deadline = DateTime.UtcNow + TerminationWait;
        while (true)
        {
            var live = await api.GetAsync($"/api/v1/namespaces/{name}", CancellationToken.None);
            if (live is null)
            {
                try
                {
                    var body = new JsonObject
                    {
                        ["apiVersion"] = "v1",
                        ["kind"] = "Namespace",
                        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { [MarkLabel] = Mark } },
                    };
                    var made = await api.CreateAsync("/api/v1/namespaces", body, CancellationToken.None);
                    return (string?)made["metadata"]?["uid"];
                }
                catch (KubeApiException ex) when (ex.IsConflict)
                {
                    continue; // someone else created it (or it is still terminating): look again
                }
            }
            else if (live["metadata"]?["deletionTimestamp"] is null)
            {
                return null;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Namespace {name} was still terminating after {TerminationWait.TotalSeconds:0}s.");
            }

            await Task.Delay(500);
        }
    }
}
