using System.Text.Json.Nodes;
using GitOps.Diff.Drift;
using GitOps.Diff.Identity;
using GitOps.Diff.Json;

namespace GitOps.Diff.Tests.Drift;

/// <summary>
/// <see cref="IgnoreRule.WithLiveValues"/>: what an apply sends for a field under an ignore rule
/// is the live value, so a change elsewhere in git never puts back what was scaled or set by hand.
/// </summary>
public class IgnoreRuleTests
{
    private static readonly ResourceKey Web = new("apps", "Deployment", "shop", "web");
    private static readonly IgnoreRule Replicas = new("apps", "Deployment", null, null, ["/spec/replicas"]);

    [Fact]
    public void WithLiveValues_IgnoredFieldDiffers_SendsTheLiveValue()
    {
        var body = Deployment(replicas: 2, annotation: "v2");

        var sent = IgnoreRule.WithLiveValues([Replicas], Web, body, Deployment(replicas: 5, annotation: "v1"));

        Assert.Equal(5, (int)sent["spec"]!["replicas"]!);
        Assert.Equal("v2", (string?)sent["metadata"]!["annotations"]!["note"]); // everything else is git's
    }

    [Fact]
    public void WithLiveValues_DoesNotChangeTheBodyItWasGiven()
    {
        var body = Deployment(replicas: 2);

        IgnoreRule.WithLiveValues([Replicas], Web, body, Deployment(replicas: 5));

        Assert.Equal(2, (int)body["spec"]!["replicas"]!);
    }

    [Fact]
    public void WithLiveValues_FieldAbsentFromGit_IsSentWithTheLiveValueMakingItsParents()
    {
        var body = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["metadata"] = new JsonObject { ["name"] = "web" } };

        var sent = IgnoreRule.WithLiveValues([Replicas], Web, body, Deployment(replicas: 5));

        Assert.Equal(5, (int)sent["spec"]!["replicas"]!);
    }

    [Fact]
    public void WithLiveValues_FieldAbsentFromLive_IsLeftOutOfTheBody()
    {
        var live = Deployment(replicas: 5);
        live["spec"]!.AsObject().Remove("replicas");

        var sent = IgnoreRule.WithLiveValues([Replicas], Web, Deployment(replicas: 2), live);

        Assert.False(sent["spec"]!.AsObject().ContainsKey("replicas"));
        Assert.NotNull(sent["spec"]!["template"]);
    }

    [Fact]
    public void WithLiveValues_LiveValueIsAnObject_SendsACopyOfIt()
    {
        var rule = new IgnoreRule("apps", "Deployment", null, null, ["/spec/strategy"]);
        var live = Deployment(replicas: 1);
        live["spec"]!["strategy"] = new JsonObject { ["type"] = "Recreate" };

        var sent = IgnoreRule.WithLiveValues([rule], Web, Deployment(replicas: 1), live);
        live["spec"]!["strategy"]!["type"] = "changed afterwards";

        Assert.Equal("Recreate", (string?)sent["spec"]!["strategy"]!["type"]);
    }

    [Theory]
    [InlineData("apps", "Deployment", "shop", "other")]
    [InlineData("apps", "Deployment", "elsewhere", null)]
    [InlineData("apps", "StatefulSet", null, null)]
    [InlineData("", "Deployment", null, null)]
    public void WithLiveValues_RuleForAnotherObject_SendsTheBodyAsIs(string group, string kind, string? ns, string? name)
    {
        var body = Deployment(replicas: 2);

        var sent = IgnoreRule.WithLiveValues([new IgnoreRule(group, kind, ns, name, ["/spec/replicas"])], Web, body, Deployment(replicas: 5));

        Assert.True(JsonEquality.Equal(body, sent));
    }

    [Fact]
    public void WithLiveValues_EscapedPointer_ReachesKeysWithSlashAndTilde()
    {
        var rule = new IgnoreRule("apps", "Deployment", null, null, ["/metadata/annotations/example.com~1stamp", "/metadata/annotations/a~0b"]);
        var body = Deployment(replicas: 1);
        body["metadata"]!["annotations"] = new JsonObject { ["example.com/stamp"] = "git", ["a~b"] = "git", ["kept"] = "git" };
        var live = Deployment(replicas: 1);
        live["metadata"]!["annotations"] = new JsonObject { ["example.com/stamp"] = "live", ["a~b"] = "live", ["kept"] = "live" };

        var annotations = IgnoreRule.WithLiveValues([rule], Web, body, live)["metadata"]!["annotations"]!;

        Assert.Equal("live", (string?)annotations["example.com/stamp"]);
        Assert.Equal("live", (string?)annotations["a~b"]);
        Assert.Equal("git", (string?)annotations["kept"]);
    }

    [Fact]
    public void WithLiveValues_PointerIntoAnArray_LeavesTheBodyAsIs()
    {
        var rule = new IgnoreRule("apps", "Deployment", null, null, ["/spec/template/spec/containers/0/image"]);
        var body = Deployment(replicas: 1, image: "nginx:1.26");

        var sent = IgnoreRule.WithLiveValues([rule], Web, body, Deployment(replicas: 1, image: "nginx:1.25"));

        Assert.True(JsonEquality.Equal(body, sent));
    }

    [Fact]
    public void WithLiveValues_PointerIntoAnArrayElementLiveLacks_LeavesTheBodyAsIs()
    {
        var rule = new IgnoreRule("apps", "Deployment", null, null, ["/spec/template/spec/containers/1"]);
        var body = Deployment(replicas: 1);
        body["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Add(new JsonObject { ["name"] = "sidecar", ["image"] = "busybox" });

        var sent = IgnoreRule.WithLiveValues([rule], Web, body, Deployment(replicas: 1));

        Assert.True(JsonEquality.Equal(body, sent));
    }

    [Fact]
    public void WithLiveValues_SeveralRules_AllApply()
    {
        var rules = new[] { Replicas, new IgnoreRule("apps", "Deployment", "shop", "web", ["/metadata/annotations/note"]) };

        var sent = IgnoreRule.WithLiveValues(rules, Web, Deployment(replicas: 2, annotation: "git"), Deployment(replicas: 5, annotation: "live"));

        Assert.Equal(5, (int)sent["spec"]!["replicas"]!);
        Assert.Equal("live", (string?)sent["metadata"]!["annotations"]!["note"]);
    }

    private static JsonObject Deployment(int replicas, string? annotation = null, string image = "nginx:1.25")
    {
        var metadata = new JsonObject { ["name"] = "web", ["namespace"] = "shop" };
        if (annotation is not null)
        {
            metadata["annotations"] = new JsonObject { ["note"] = annotation };
        }

        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["template"] = new JsonObject
                {
                    ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "web", ["image"] = image }) },
                },
            },
        };
    }
}
