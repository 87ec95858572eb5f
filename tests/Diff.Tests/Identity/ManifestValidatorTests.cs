using System.Text.Json.Nodes;
using GitOps.Diff.Identity;
using GitOps.Diff.Render;

namespace GitOps.Diff.Tests.Identity;

public class ManifestValidatorTests
{
    private static readonly Dictionary<GroupKind, KindScope> Served = new()
    {
        [new("", "ConfigMap")] = KindScope.Namespaced,
        [new("", "Namespace")] = KindScope.Cluster,
        [new("apps", "Deployment")] = KindScope.Namespaced,
        [new("rbac.authorization.k8s.io", "ClusterRole")] = KindScope.Cluster,
        [new("apiextensions.k8s.io", "CustomResourceDefinition")] = KindScope.Cluster,
    };

    [Fact]
    public void Validate_NamespacedWithoutNamespace_DefaultsIt()
    {
        var desired = Assert.Single(Validate(Manifest("a.yaml", ConfigMap("app"))));

        Assert.Equal(new ResourceKey("", "ConfigMap", "team", "app"), desired.Key);
        Assert.Equal("team", (string?)desired.Object["metadata"]!["namespace"]);
        Assert.Equal("v1", desired.Version);
    }

    [Fact]
    public void Validate_NamespacedWithNamespace_KeepsIt()
    {
        var desired = Assert.Single(Validate(Manifest("a.yaml", ConfigMap("app", "other"))));

        Assert.Equal("other", desired.Key.Namespace);
    }

    [Fact]
    public void Validate_ClusterScopedWithNamespace_RemovesIt()
    {
        var obj = Object("rbac.authorization.k8s.io/v1", "ClusterRole", "reader", "team");

        var desired = Assert.Single(Validate(Manifest("r.yaml", obj)));

        Assert.Null(desired.Key.Namespace);
        Assert.False(desired.Object["metadata"]!.AsObject().ContainsKey("namespace"));
        Assert.Equal("ClusterRole/reader", desired.Key.ToString());
    }

    [Theory]
    [InlineData("apiVersion", "object: apiVersion is missing or not a string")]
    [InlineData("kind", "object: kind is missing or not a string")]
    public void Validate_MissingTypeField_ThrowsAtTheManifest(string field, string reason)
    {
        var obj = ConfigMap("app");
        obj.Remove(field);

        var ex = Assert.Throws<ManifestException>(() => Validate(Manifest("a.yaml", obj, line: 7)));

        Assert.Equal($"a.yaml:7:1: {reason}", ex.Message);
    }

    [Fact]
    public void Validate_NumericKind_Throws()
    {
        var obj = ConfigMap("app");
        obj["kind"] = 5;

        Assert.Throws<ManifestException>(() => Validate(Manifest("a.yaml", obj)));
    }

    [Fact]
    public void Validate_MissingMetadata_Throws()
    {
        var obj = ConfigMap("app");
        obj.Remove("metadata");

        var ex = Assert.Throws<ManifestException>(() => Validate(Manifest("a.yaml", obj)));

        Assert.Equal("a.yaml:1:1: ConfigMap: metadata is missing", ex.Message);
    }

    [Fact]
    public void Validate_MissingName_Throws()
    {
        var obj = ConfigMap("app");
        obj["metadata"]!.AsObject().Remove("name");

        var ex = Assert.Throws<ManifestException>(() => Validate(Manifest("a.yaml", obj)));

        Assert.Equal("a.yaml:1:1: ConfigMap: metadata.name is missing or not a string", ex.Message);
    }

    [Fact]
    public void Validate_GenerateName_Refused()
    {
        var obj = ConfigMap("app");
        obj["metadata"]!["generateName"] = "app-";

        var ex = Assert.Throws<ManifestException>(() => Validate(Manifest("a.yaml", obj)));

        Assert.Contains("generateName is not supported", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SameObjectTwice_NamesBothFiles()
    {
        var ex = Assert.Throws<ManifestException>(() => Validate(
            Manifest("a/first.yaml", ConfigMap("app"), line: 3),
            Manifest("b/second.yaml", ConfigMap("app", "team"), line: 9)));

        Assert.Equal("b/second.yaml:9:1: ConfigMap/team/app is defined twice (first at a/first.yaml:3:1)", ex.Message);
    }

    [Fact]
    public void Validate_SameNameInOtherNamespaceOrKind_Accepted()
    {
        var desired = Validate(
            Manifest("a.yaml", ConfigMap("app", "one")),
            Manifest("b.yaml", ConfigMap("app", "two")),
            Manifest("c.yaml", Object("apps/v1", "Deployment", "app", "one")));

        Assert.Equal(3, desired.Count);
    }

    [Fact]
    public void Validate_SameObjectUnderTwoApiVersions_IsADuplicate()
    {
        var ex = Assert.Throws<ManifestException>(() => Validate(
            Manifest("a.yaml", Object("apps/v1", "Deployment", "app", "team")),
            Manifest("b.yaml", Object("apps/v1beta1", "Deployment", "app", "team"))));

        Assert.Contains("Deployment/team/app is defined twice", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PartOfLabel_Refused()
    {
        var obj = ConfigMap("app");
        obj["metadata"]!["labels"] = new JsonObject { [ManifestValidator.PartOfLabel] = "someone-else" };

        var ex = Assert.Throws<ManifestException>(() => Validate(Manifest("a.yaml", obj)));

        Assert.Contains("ConfigMap/app: the label applyset.kubernetes.io/part-of is set by the agent", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownKind_ThrowsNamingIt()
    {
        var obj = Object("example.com/v1", "Widget", "w", null);

        var ex = Assert.Throws<ManifestException>(() => Validate(Manifest("w.yaml", obj)));

        Assert.Equal("w.yaml:1:1: Widget/w: the server has no kind Widget.example.com in example.com/v1 (is its CRD installed?)", ex.Message);
    }

    [Theory]
    [InlineData("Namespaced", "team")]
    [InlineData("Cluster", null)]
    public void Validate_KindDefinedByCrdInSameRevision_UsesItsScope(string scope, string? expectedNamespace)
    {
        var crd = Object("apiextensions.k8s.io/v1", "CustomResourceDefinition", "widgets.example.com", null);
        crd["spec"] = new JsonObject
        {
            ["group"] = "example.com",
            ["scope"] = scope,
            ["names"] = new JsonObject { ["kind"] = "Widget", ["plural"] = "widgets" },
        };

        // The custom resource comes first: scopes are gathered from the whole revision.
        var desired = Validate(Manifest("w.yaml", Object("example.com/v1", "Widget", "w", null)), Manifest("crd.yaml", crd));

        Assert.Equal(expectedNamespace, desired[0].Key.Namespace);
    }

    [Fact]
    public void Validate_DiscoveryKnowsKind_WinsOverCrdInRevision()
    {
        var crd = Object("apiextensions.k8s.io/v1", "CustomResourceDefinition", "configmaps.x", null);
        crd["spec"] = new JsonObject { ["group"] = "", ["scope"] = "Cluster", ["names"] = new JsonObject { ["kind"] = "ConfigMap" } };

        var desired = Validate(Manifest("a.yaml", ConfigMap("app")), Manifest("crd.yaml", crd));

        Assert.Equal("team", desired[0].Key.Namespace);
    }

    private static IReadOnlyList<DesiredObject> Validate(params Manifest[] manifests) =>
        ManifestValidator.Validate(manifests, gk => Served.GetValueOrDefault(gk, KindScope.Unknown), "team");

    private static Manifest Manifest(string file, JsonObject obj, int line = 1) => new(obj, new SourceLocation(file, line, 1));

    private static JsonObject ConfigMap(string name, string? ns = null) => Object("v1", "ConfigMap", name, ns);

    private static JsonObject Object(string apiVersion, string kind, string name, string? ns)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (ns is not null)
        {
            metadata["namespace"] = ns;
        }

        return new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = metadata };
    }
}
