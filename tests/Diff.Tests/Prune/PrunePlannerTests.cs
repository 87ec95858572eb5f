using System.Text.Json.Nodes;
using GitOps.Diff.Identity;
using GitOps.Diff.Prune;

namespace GitOps.Diff.Tests.Prune;

public class PrunePlannerTests
{
    private const string Id = "applyset-ours-v1";
    private static readonly PruneOptions On = new(Enabled: true, AllowEmpty: false, AllowProtectedKinds: false);
    private static readonly ResourceKey Cm = new("", "ConfigMap", "app", "old");
    private static readonly ResourceKey Keep = new("", "ConfigMap", "app", "keep");

    [Fact]
    public void Plan_MemberRemovedFromRevision_IsDeleted()
    {
        var decision = Assert.Single(Plan([Cm, Keep], [Keep], Live(Cm)));

        Assert.Equal(PruneVerdict.Delete, decision.Verdict);
        Assert.Equal(Cm, decision.Key);
    }

    [Fact]
    public void Plan_ObjectNoLongerLabelledAsOurs_IsForgottenNotDeleted()
    {
        var decision = Assert.Single(Plan([Cm, Keep], [Keep], Live(Cm, partOf: "applyset-someone-else-v1")));

        Assert.Equal(PruneVerdict.Forget, decision.Verdict);
    }

    [Fact]
    public void Plan_ObjectAlreadyGone_IsForgotten()
    {
        Assert.Equal(PruneVerdict.Forget, Assert.Single(Plan([Cm, Keep], [Keep], new Dictionary<ResourceKey, JsonObject>())).Verdict);
    }

    [Fact]
    public void Plan_PruneDisabledAnnotation_IsSkippedWithReason()
    {
        var decision = Assert.Single(Plan([Cm, Keep], [Keep], Live(Cm, annotation: "disabled")));

        Assert.Equal(PruneVerdict.Skip, decision.Verdict);
        Assert.Contains("gitops.dev/prune", decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "Namespace")]
    [InlineData("apiextensions.k8s.io", "CustomResourceDefinition")]
    [InlineData("", "PersistentVolumeClaim")]
    public void Plan_ProtectedKind_IsDeletedOnlyWithOptIn(string group, string kind)
    {
        var key = new ResourceKey(group, kind, kind == "PersistentVolumeClaim" ? "app" : null, "data");
        var live = Live(key);

        Assert.Equal(PruneVerdict.Skip, Assert.Single(Plan([key, Keep], [Keep], live)).Verdict);
        Assert.Equal(PruneVerdict.Delete, Assert.Single(Plan([key, Keep], [Keep], live, On with { AllowProtectedKinds = true })).Verdict);
    }

    [Fact]
    public void Plan_EmptyRevision_DeletesNothingUnlessAllowed()
    {
        var live = Live(Cm).Concat(Live(Keep)).ToDictionary();

        Assert.All(Plan([Cm, Keep], [], live), d => Assert.Equal(PruneVerdict.Skip, d.Verdict));
        Assert.All(Plan([Cm, Keep], [], live, On with { AllowEmpty = true }), d => Assert.Equal(PruneVerdict.Delete, d.Verdict));
    }

    [Fact]
    public void Plan_PruningOff_ReportsWhatWouldBePruned()
    {
        var decision = Assert.Single(Plan([Cm, Keep], [Keep], Live(Cm), On with { Enabled = false }));

        Assert.Equal(PruneVerdict.Skip, decision.Verdict);
        Assert.Contains("would be pruned", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_SeveralCandidates_ComeInReverseApplyOrder()
    {
        var ns = new ResourceKey("", "Namespace", null, "app");
        var deploy = new ResourceKey("apps", "Deployment", "app", "web");
        var live = Live(ns).Concat(Live(deploy)).Concat(Live(Cm)).ToDictionary();

        var order = Plan([ns, Cm, deploy], [], live, On with { AllowEmpty = true, AllowProtectedKinds = true }).Select(d => d.Key.Kind).ToList();

        Assert.Equal(["Deployment", "ConfigMap", "Namespace"], order);
    }

    [Fact]
    public void Plan_CandidatesInWaves_HighestWaveFirst()
    {
        var db = new ResourceKey("", "ConfigMap", "app", "db");
        var web = new ResourceKey("", "ConfigMap", "app", "web");
        var live = Live(db).Concat(Live(web)).ToDictionary();
        live[db]["metadata"]!["annotations"] = new JsonObject { ["gitops.dev/sync-wave"] = "5" };
        live[web]["metadata"]!["annotations"] = new JsonObject { ["argocd.argoproj.io/sync-wave"] = "-1" };

        var order = Plan([web, db, Cm], [Keep], live.Concat(Live(Cm)).ToDictionary()).Select(d => d.Key.Name).ToList();

        Assert.Equal(["db", "old", "web"], order);
    }

    [Fact]
    public void Plan_NamespaceWhoseObjectsTheRevisionStillDeclares_IsSkippedNamingThemEvenWithOptIn()
    {
        var ns = new ResourceKey("", "Namespace", null, "app");
        var optedIn = On with { AllowProtectedKinds = true };

        var decision = Assert.Single(Plan([ns, Keep], [Keep], Live(ns), optedIn));

        Assert.Equal(PruneVerdict.Skip, decision.Verdict);
        Assert.Contains("ConfigMap/app/keep", decision.Reason, StringComparison.Ordinal);
        Assert.Contains("the revision declares", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_NamespaceWhoseObjectsAreGoneFromTheRevisionToo_IsDeletedWithOptIn()
    {
        var ns = new ResourceKey("", "Namespace", null, "app");
        var elsewhere = new ResourceKey("", "ConfigMap", "other", "x");
        var live = Live(ns).Concat(Live(Cm)).ToDictionary();

        var decisions = Plan([ns, Cm, elsewhere], [elsewhere], live, On with { AllowProtectedKinds = true });

        Assert.All(decisions, d => Assert.Equal(PruneVerdict.Delete, d.Verdict));
        Assert.Equal(["ConfigMap", "Namespace"], decisions.Select(d => d.Key.Kind));
    }

    [Fact]
    public void Plan_NamespaceWithoutOptIn_GivesTheOptInReasonFirst()
    {
        var ns = new ResourceKey("", "Namespace", null, "app");

        var decision = Assert.Single(Plan([ns, Keep], [Keep], Live(ns)));

        Assert.Equal(PruneVerdict.Skip, decision.Verdict);
        Assert.Contains("only when the target opts in", decision.Reason, StringComparison.Ordinal);
    }

    private static IReadOnlyList<PruneDecision> Plan(
        ResourceKey[] previous, ResourceKey[] desired, IReadOnlyDictionary<ResourceKey, JsonObject> live, PruneOptions? options = null) =>
        PrunePlanner.Plan(previous, desired.ToHashSet(), k => live.GetValueOrDefault(k), Id, options ?? On);

    private static Dictionary<ResourceKey, JsonObject> Live(ResourceKey key, string partOf = Id, string? annotation = null)
    {
        var metadata = new JsonObject { ["name"] = key.Name, ["labels"] = new JsonObject { [ManifestValidator.PartOfLabel] = partOf } };
        if (annotation is not null)
        {
            metadata["annotations"] = new JsonObject { [PrunePlanner.PruneAnnotation] = annotation };
        }

        return new() { [key] = new JsonObject { ["kind"] = key.Kind, ["metadata"] = metadata } };
    }
}
