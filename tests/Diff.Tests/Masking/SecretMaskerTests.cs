using System.Text.Json.Nodes;
using GitOps.Diff.Drift;
using GitOps.Diff.Identity;
using GitOps.Diff.Masking;

namespace GitOps.Diff.Tests.Masking;

public class SecretMaskerTests
{
    private const string LastApplied = "kubectl.kubernetes.io/last-applied-configuration";
    private static readonly ResourceKey SecretKey = new("", "Secret", "shop", "db");

    [Fact]
    public void MaskObject_Secret_HidesEveryValueAndLastApplied()
    {
        var secret = Secret();

        var masked = SecretMasker.MaskObject(secret);

        Assert.Equal(SecretMasker.Hidden, (string?)masked["data"]!["password"]);
        Assert.Equal(SecretMasker.Hidden, (string?)masked["stringData"]!["token"]);
        Assert.Equal(SecretMasker.Hidden, (string?)masked["metadata"]!["annotations"]![LastApplied]);
        Assert.Equal("keep", (string?)masked["metadata"]!["annotations"]!["note"]);
        Assert.DoesNotContain("aHVudGVy", masked.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("aHVudGVyMg==", (string?)secret["data"]!["password"]); // the input is left alone
    }

    [Fact]
    public void MaskObject_OtherKind_Unchanged()
    {
        var configMap = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["data"] = new JsonObject { ["a"] = "b" } };

        Assert.Equal(configMap.ToJsonString(), SecretMasker.MaskObject(configMap).ToJsonString());
    }

    [Theory]
    [InlineData("v1", "Secret", true)]
    [InlineData("v1", "ConfigMap", false)]
    [InlineData("example.com/v1", "Secret", false)]
    public void IsSecret_ApiVersionAndKind(string apiVersion, string kind, bool expected)
    {
        Assert.Equal(expected, SecretMasker.IsSecret(new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind }));
    }

    [Fact]
    public void IsSecret_KindNotAString_False()
    {
        Assert.False(SecretMasker.IsSecret(new JsonObject { ["apiVersion"] = "v1", ["kind"] = 5 }));
    }

    [Fact]
    public void MaskChanges_SecretValuePaths_HidesBothSidesKeepsAddRemoveShape()
    {
        FieldChange[] changes =
        [
            new("data.password", JsonValue.Create("b2xk"), JsonValue.Create("bmV3")),
            new("data.added", null, JsonValue.Create("YWRkZWQ=")),
            new("stringData.removed", JsonValue.Create("gone"), null),
            new("type", JsonValue.Create("Opaque"), JsonValue.Create("kubernetes.io/tls")),
        ];

        var masked = SecretMasker.MaskChanges(SecretKey, changes);

        Assert.Equal(
            ["~ data.password: \"(hidden)\" → \"(hidden)\"", "+ data.added: \"(hidden)\"", "- stringData.removed: \"(hidden)\"", "~ type: \"Opaque\" → \"kubernetes.io/tls\""],
            masked.Select(c => c.ToString()));
    }

    [Fact]
    public void MaskChanges_WholeAnnotationsRemoved_HidesLastApplied()
    {
        var annotations = new JsonObject { [LastApplied] = """{"data":{"password":"aHVudGVyMg=="}}""", ["note"] = "keep" };

        var masked = Assert.Single(SecretMasker.MaskChanges(SecretKey, [new FieldChange("metadata.annotations", annotations, null)]));

        Assert.DoesNotContain("aHVudGVyMg", masked.ToString(), StringComparison.Ordinal);
        Assert.Contains("keep", masked.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void MaskChanges_OtherKind_Unchanged()
    {
        var change = new FieldChange("data.password", JsonValue.Create("a"), JsonValue.Create("b"));

        Assert.Same(change, Assert.Single(SecretMasker.MaskChanges(new ResourceKey("", "ConfigMap", "shop", "c"), [change])));
    }

    private static JsonObject Secret() => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Secret",
        ["metadata"] = new JsonObject
        {
            ["name"] = "db",
            ["annotations"] = new JsonObject { [LastApplied] = """{"data":{"password":"aHVudGVyMg=="}}""", ["note"] = "keep" },
        },
        ["data"] = new JsonObject { ["password"] = "aHVudGVyMg==" },
        ["stringData"] = new JsonObject { ["token"] = "s3cr3t-token" },
    };
}
