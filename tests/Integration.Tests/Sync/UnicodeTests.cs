using GitOps.Agent.Sync;

namespace GitOps.Integration.Tests.Sync;

/// <summary>Text beyond the Basic Multilingual Plane (emoji in a ConfigMap, a label-free annotation) applies and round-trips.</summary>
public sealed class UnicodeTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Sync_EmojiInDataAndAnnotation_AppliesAndReadsBackTheSame()
    {
        await using var h = new SyncHarness(cluster, "unicode");
        h.Repo.Write("ns.yaml", Yaml.Namespace(h.Namespace))
            .Write("a.yaml", $"""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: a
                  namespace: {h.Namespace}
                  annotations: {"{"}greeting: "hi 👋"{"}"}
                data:
                  motd: "deploys are 🚀 and 𠀀"
                """)
            .Commit("emoji");

        var result = await h.SyncAsync();

        Assert.True(result.Phase == SyncPhase.Synced, result.Message);
        var live = await h.ConfigMapAsync("a");
        Assert.Equal("deploys are 🚀 and 𠀀", (string?)live!["data"]!["motd"]);
        Assert.Equal("hi 👋", (string?)live["metadata"]!["annotations"]!["greeting"]);
        Assert.False((await h.SyncAsync()).HasDrift); // and the next pass sees no drift
    }
}
