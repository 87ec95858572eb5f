using System.Text.Json.Nodes;
using GitOps.Agent.Hosting;
using GitOps.Agent.Hosting.Hooks;
using GitOps.Agent.Sync.Forge;
using GitOps.Diff.Render;

namespace GitOps.Integration.Tests.Deploy;

/// <summary>
/// deploy/forge/ fits together with deployment.yaml: the configuration loads, and every file it
/// names is a key of a Secret that deployment.yaml mounts where the configuration looks.
/// (ServerSideDryRunApply_DeployManifest_IsAccepted applies each of these files to a real server.)
/// </summary>
public sealed class ForgeManifestsTests
{
    [Fact]
    public void ForgeConfigMap_Loads_GitHubReceiverAndStatusFromMountedSecretFiles()
    {
        var configMap = Single("forge/configmap.yaml");
        var config = AgentConfigLoader.Parse("deploy/forge/configmap.yaml", (string)configMap["data"]!["config.yaml"]!);

        var receiver = Assert.Single(config.Receivers);
        Assert.Equal(new ReceiverConfig("github", ReceiverType.GitHub, "/etc/gitops/hooks/github-secret"), receiver);
        var status = Assert.Single(config.Targets).CommitStatus!;
        Assert.Equal(ForgeProvider.GitHub, status.Provider);
        Assert.Equal(new Uri("https://api.github.com"), status.Url);
        Assert.Equal(MountedFile("gitops-hooks", "github-secret"), receiver.SecretFile);
        Assert.Equal(MountedFile("gitops-forge-token", "token"), status.TokenFile);
    }

    [Fact]
    public void HooksIngress_RoutesOnlyHooksToTheAgentsPort()
    {
        var ingress = Single("forge/ingress.yaml");
        var service = Single("forge/service.yaml");

        var path = Assert.Single(ingress["spec"]!["rules"]![0]!["http"]!["paths"]!.AsArray())!;
        Assert.Equal("/hooks/", (string?)path["path"]);
        Assert.Equal((string?)service["metadata"]!["name"], (string?)path["backend"]!["service"]!["name"]);
        Assert.Equal("http-metrics", (string?)service["spec"]!["ports"]![0]!["targetPort"]); // the container's one port
    }

    /// <summary>Where deployment.yaml mounts <paramref name="key"/> of Secret <paramref name="secret"/>, checked to be a key of the template too.</summary>
    private static string MountedFile(string secret, string key)
    {
        var template = Documents("forge/secrets.secret-template.yaml").Single(d => (string?)d["metadata"]!["name"] == secret);
        Assert.NotNull(template["stringData"]![key]);
        var pod = Single("deployment.yaml")["spec"]!["template"]!["spec"]!;
        var volume = pod["volumes"]!.AsArray().Single(v => (string?)v!["secret"]?["secretName"] == secret)!;
        Assert.True((bool?)volume["secret"]!["optional"], $"{secret}: optional, so an install without it still starts");
        var mount = pod["containers"]![0]!["volumeMounts"]!.AsArray().Single(m => (string?)m!["name"] == (string?)volume["name"])!;
        Assert.Null(mount["subPath"]); // a whole volume: the kubelet's refresh of a rotated Secret reaches the pod
        return $"{(string)mount["mountPath"]!}/{key}";
    }

    private static JsonObject Single(string file) => Assert.Single(Documents(file));

    private static List<JsonObject> Documents(string file) =>
        ManifestRenderer.ReadDocuments(file, File.ReadAllText(DeployFolder.PathOf(file))).Select(d => d.Root).OfType<JsonObject>().ToList();
}
