using System.Text.Json.Nodes;
using GitOps.Diff.Identity;
using GitOps.Diff.Prune;

namespace GitOps.Diff.Tests.Prune;

/// <summary>
/// What keeps a Namespace from being pruned: objects in it that are not this set's members and
/// that Kubernetes did not put there by itself, and objects the revision still declares in it.
/// </summary>
public class NamespaceGuardTests
{
    private const string Ns = "app";
    private static readonly IReadOnlySet<ResourceKey> NoMembers = new HashSet<ResourceKey>();

    [Fact]
    public void Blocker_EmptyNamespace_IsNull()
    {
        Assert.Null(NamespaceGuard.Blocker(Ns, [], NoMembers));
    }

    [Fact]
    public void Blocker_OnlyWhatKubernetesPutsInEveryNamespace_IsNull()
    {
        var others = new[]
        {
            Object("", "ServiceAccount", "default"),
            Object("", "ConfigMap", "kube-root-ca.crt"),
            Object("", "Secret", "default-token-x1y2z", type: "kubernetes.io/service-account-token"),
            Object("", "Event", "web.17f3a"),
            Object("events.k8s.io", "Event", "web.17f3b"),
        };

        Assert.Null(NamespaceGuard.Blocker(Ns, others, NoMembers));
    }

    [Fact]
    public void Blocker_ObjectWithAnOwner_IsNull()
    {
        var pod = Object("", "Pod", "web-5d8f-abcde");
        pod.Object["metadata"]!["ownerReferences"] = new JsonArray(new JsonObject { ["kind"] = "ReplicaSet", ["name"] = "web-5d8f" });

        Assert.Null(NamespaceGuard.Blocker(Ns, [pod], NoMembers));
    }

    [Fact]
    public void Blocker_EndpointsOfAMemberService_IsNull()
    {
        var members = new HashSet<ResourceKey> { new("", "Service", Ns, "web") };

        Assert.Null(NamespaceGuard.Blocker(Ns, [Object("", "Endpoints", "web")], members));
    }

    [Fact]
    public void Blocker_EndpointsOfAServiceNotInTheSet_BlocksNamingThem()
    {
        var reason = NamespaceGuard.Blocker(Ns, [Object("", "Endpoints", "theirs")], new HashSet<ResourceKey> { new("", "Service", Ns, "web") });

        Assert.NotNull(reason);
        Assert.Contains("Endpoints/app/theirs", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Blocker_UnmanagedOpaqueSecret_BlocksNamingIt()
    {
        var reason = NamespaceGuard.Blocker(Ns, [Object("", "ServiceAccount", "default"), Object("", "Secret", "db", type: "Opaque")], NoMembers);

        Assert.NotNull(reason);
        Assert.Contains("Namespace app", reason, StringComparison.Ordinal);
        Assert.Contains("1 object(s)", reason, StringComparison.Ordinal);
        Assert.Contains("Secret/app/db", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Blocker_ServiceAccountOtherThanDefaultAndConfigMapOtherThanRootCa_Block()
    {
        var reason = NamespaceGuard.Blocker(Ns, [Object("", "ServiceAccount", "builder"), Object("", "ConfigMap", "settings")], NoMembers);

        Assert.NotNull(reason);
        Assert.Contains("ServiceAccount/app/builder", reason, StringComparison.Ordinal);
        Assert.Contains("ConfigMap/app/settings", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Blocker_KindOfTheSameNameInAnotherGroup_IsNotMistakenForKubernetesOwn()
    {
        var reason = NamespaceGuard.Blocker(Ns, [Object("example.com", "ServiceAccount", "default")], NoMembers);

        Assert.NotNull(reason);
    }

    [Fact]
    public void Blocker_ObjectsOfAnotherNamespace_AreIgnored()
    {
        var elsewhere = (new ResourceKey("", "Secret", "other", "db"), Body("db", "Opaque"));

        Assert.Null(NamespaceGuard.Blocker(Ns, [elsewhere], NoMembers));
    }

    [Fact]
    public void Blocker_ManyObjects_NamesThreeAndCountsAll()
    {
        var others = Enumerable.Range(1, 5).Select(i => Object("", "ConfigMap", $"cm{i}")).ToList();

        var reason = NamespaceGuard.Blocker(Ns, others, NoMembers)!;

        Assert.Contains("5 object(s)", reason, StringComparison.Ordinal);
        Assert.Contains("ConfigMap/app/cm3, …", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("cm4", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Declared_RevisionDeclaresAnObjectInside_NamesIt()
    {
        var desired = new HashSet<ResourceKey> { new("", "ConfigMap", Ns, "settings"), new("", "ConfigMap", "other", "x") };

        var reason = NamespaceGuard.Declared(Ns, desired);

        Assert.NotNull(reason);
        Assert.Contains("1 object(s) the revision declares", reason, StringComparison.Ordinal);
        Assert.Contains("ConfigMap/app/settings", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("other", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Declared_NothingDeclaredInside_IsNull()
    {
        var desired = new HashSet<ResourceKey> { new("", "ConfigMap", "other", "x"), new("", "Namespace", null, "other") };

        Assert.Null(NamespaceGuard.Declared(Ns, desired));
    }

    private static (ResourceKey Key, JsonObject Object) Object(string group, string kind, string name, string? type = null) =>
        (new ResourceKey(group, kind, Ns, name), Body(name, type));

    private static JsonObject Body(string name, string? type)
    {
        var obj = new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } };
        if (type is not null)
        {
            obj["type"] = type;
        }

        return obj;
    }
}
