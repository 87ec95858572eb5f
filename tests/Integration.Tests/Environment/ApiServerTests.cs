using System.Text.Json;
using k8s;
using k8s.Models;

namespace GitOps.Integration.Tests.Environment;

/// <summary>
/// Proves the test environment is a real API server: server-side apply of core objects, a CRD
/// and one of its custom resources through KubernetesClient, with managedFields recording the
/// field manager. If this fails, every other integration test's verdict is meaningless.
/// </summary>
public sealed class ApiServerTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private const string Manager = "gitops-env-test";

    [Fact]
    public async Task ServerSideApply_CoreAndCustomResources_RecordFieldManager()
    {
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.Kubeconfig);
        using var client = new Kubernetes(config);
        var version = await client.Version.GetCodeAsync();
        Assert.False(string.IsNullOrEmpty(version.GitVersion));

        var ns = ClusterFixture.UniqueName("env");
        var group = $"{ns}.example.com";
        try
        {
            await ApplyAsync(client, "", "v1", null, "namespaces", ns, new { apiVersion = "v1", kind = "Namespace", metadata = new { name = ns } });
            await ApplyAsync(client, "", "v1", ns, "configmaps", "settings", new { apiVersion = "v1", kind = "ConfigMap", metadata = new { name = "settings", @namespace = ns }, data = new { mode = "real" } });
            await ApplyAsync(client, "apiextensions.k8s.io", "v1", null, "customresourcedefinitions", $"widgets.{group}", Crd(group));
            await WaitEstablishedAsync(client, $"widgets.{group}");
            var widget = await ApplyAsync(client, group, "v1", ns, "widgets", "w1", new { apiVersion = $"{group}/v1", kind = "Widget", metadata = new { name = "w1", @namespace = ns }, spec = new { size = 3 } });

            var cm = await client.CoreV1.ReadNamespacedConfigMapAsync("settings", ns);
            Assert.Equal("real", cm.Data["mode"]);
            Assert.Contains(cm.Metadata.ManagedFields, f => f.Manager == Manager && f.Operation == "Apply");
            Assert.Equal(3, widget.GetProperty("spec").GetProperty("size").GetInt32());
            Assert.Contains(Manager, widget.GetProperty("metadata").GetProperty("managedFields").ToString(), StringComparison.Ordinal);
        }
        finally
        {
            await client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync($"widgets.{group}");
            await client.CoreV1.DeleteNamespaceAsync(ns);
        }
    }

    private static async Task<JsonElement> ApplyAsync(Kubernetes client, string group, string version, string? ns, string plural, string name, object body)
    {
        var patch = new V1Patch(JsonSerializer.Serialize(body), V1Patch.PatchType.ApplyPatch);
        var result = ns is null
            ? await client.CustomObjects.PatchClusterCustomObjectAsync(patch, group, version, plural, name, fieldManager: Manager, force: true)
            : await client.CustomObjects.PatchNamespacedCustomObjectAsync(patch, group, version, ns, plural, name, fieldManager: Manager, force: true);
        return (JsonElement)result;
    }

    private static async Task WaitEstablishedAsync(Kubernetes client, string name)
    {
        for (var i = 0; i < 100; i++)
        {
            var crd = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(name);
            if (crd.Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"CRD {name} was not Established within 10s");
    }

    private static object Crd(string group) => new
    {
        apiVersion = "apiextensions.k8s.io/v1",
        kind = "CustomResourceDefinition",
        metadata = new { name = $"widgets.{group}" },
        spec = new
        {
            group,
            scope = "Namespaced",
            names = new { plural = "widgets", singular = "widget", kind = "Widget", listKind = "WidgetList" },
            versions = new[]
            {
                new
                {
                    name = "v1", served = true, storage = true,
                    schema = new { openAPIV3Schema = new { type = "object", properties = new { spec = new { type = "object", properties = new { size = new { type = "integer" } } } } } },
                },
            },
        },
    };
}
