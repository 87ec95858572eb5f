using System.Globalization;
using System.Text.Json.Nodes;

namespace GitOps.Diff.Release;

/// <summary>
/// Reads an object's place in a release from its annotations: ours (<c>gitops.dev/…</c>), and,
/// so that repositories written for Argo CD and charts written for Helm work unchanged, theirs.
/// Each of the three aspects (wave, hook, delete policy) is taken from the first tool that sets
/// it, in the order ours → Argo CD → Helm; a tool's hook annotation replaces the next tool's
/// as a whole (Argo CD ignores Helm's hooks the same way). An unreadable value is an error,
/// never a silent default: a migration that quietly became an ordinary member would ship.
/// </summary>
public static class ReleaseAnnotations
{
    public const string SyncWave = "gitops.dev/sync-wave";
    public const string Hook = "gitops.dev/hook";
    public const string HookDeletePolicy = "gitops.dev/hook-delete-policy";
    public const string ArgoSyncWave = "argocd.argoproj.io/sync-wave";
    public const string ArgoHook = "argocd.argoproj.io/hook";
    public const string ArgoHookDeletePolicy = "argocd.argoproj.io/hook-delete-policy";
    public const string HelmHook = "helm.sh/hook";
    public const string HelmHookWeight = "helm.sh/hook-weight";
    public const string HelmHookDeletePolicy = "helm.sh/hook-delete-policy";

    private static readonly Dictionary<string, HookPhase?> HelmPhases = new(StringComparer.Ordinal)
    {
        ["pre-install"] = HookPhase.PreSync,
        ["pre-upgrade"] = HookPhase.PreSync,
        ["post-install"] = HookPhase.PostSync,
        ["post-upgrade"] = HookPhase.PostSync,
        ["pre-delete"] = null,
        ["post-delete"] = null,
        ["pre-rollback"] = null,
        ["post-rollback"] = null,
        ["test"] = null,
        ["test-success"] = null,
        ["test-failure"] = null,
    };

    private static readonly Dictionary<string, HookDeletePolicy> HelmPolicies = new(StringComparer.Ordinal)
    {
        ["before-hook-creation"] = Release.HookDeletePolicy.BeforeHookCreation,
        ["hook-succeeded"] = Release.HookDeletePolicy.HookSucceeded,
        ["hook-failed"] = Release.HookDeletePolicy.HookFailed,
    };

    /// <summary>The role of an object; throws <see cref="FormatException"/> naming the annotation and value.</summary>
    public static ReleaseRole Read(JsonObject obj)
    {
        var annotations = obj["metadata"]?["annotations"] as JsonObject;
        string? Get(string name) => annotations?[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

        var wave = Wave(Get(SyncWave), SyncWave) ?? Wave(Get(ArgoSyncWave), ArgoSyncWave) ?? Wave(Get(HelmHookWeight), HelmHookWeight) ?? 0;
        var (phases, skipped) = Get(Hook) is { } ours ? (Phases(ours, Hook), false)
            : Get(ArgoHook) is { } argo ? ArgoPhases(argo)
            : Get(HelmHook) is { } helm ? HelmPhasesOf(helm)
            : ([], false);
        if (phases.Count == 0 && !skipped)
        {
            return ReleaseRole.Member with { Wave = wave };
        }

        var policies = Policies(Get(HookDeletePolicy), HookDeletePolicy, ParsePolicy)
            ?? Policies(Get(ArgoHookDeletePolicy), ArgoHookDeletePolicy, ParsePolicy)
            ?? Policies(Get(HelmHookDeletePolicy), HelmHookDeletePolicy, s => HelmPolicies.TryGetValue(s, out var p) ? p : null)
            ?? new HashSet<HookDeletePolicy> { Release.HookDeletePolicy.BeforeHookCreation };
        return new ReleaseRole(wave, phases, policies, skipped);
    }

    private static int? Wave(string? value, string annotation)
    {
        if (value is null)
        {
            return null;
        }

        return int.TryParse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var wave)
            ? wave
            : throw new FormatException($"annotation {annotation}: \"{value}\" is not a whole number");
    }

    private static List<string> Items(string value) =>
        value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();

    private static List<HookPhase> Phases(string value, string annotation)
    {
        var phases = Items(value).Select(s => Named<HookPhase>(s) is { } p
            ? p
            : throw new FormatException($"annotation {annotation}: \"{s}\" is not one of PreSync, Sync, PostSync, SyncFail")).Distinct().ToList();
        return phases.Count > 0 ? phases : throw new FormatException($"annotation {annotation} is empty");
    }

    /// <summary>Argo CD's values, plus <c>Skip</c> (never applied); PreDelete/PostDelete have no counterpart here and are refused.</summary>
    private static (List<HookPhase>, bool) ArgoPhases(string value) =>
        Items(value) is var items && items.Contains("Skip") ? ([], true) : (Phases(value, ArgoHook), false);

    /// <summary>Helm's events mapped to phases; a hook of events a sync never sees (pre-delete, test) is skipped, as Argo CD does.</summary>
    private static (List<HookPhase>, bool) HelmPhasesOf(string value)
    {
        var phases = new List<HookPhase>();
        foreach (var item in Items(value))
        {
            if (!HelmPhases.TryGetValue(item, out var phase))
            {
                throw new FormatException($"annotation {HelmHook}: \"{item}\" is not a Helm hook");
            }

            if (phase is { } p && !phases.Contains(p))
            {
                phases.Add(p);
            }
        }

        return (phases, phases.Count == 0);
    }

    private static HookDeletePolicy? ParsePolicy(string s) => Named<HookDeletePolicy>(s);

    /// <summary>Exactly a member's name (Enum.TryParse would also take numbers and other cases).</summary>
    private static T? Named<T>(string s)
        where T : struct, Enum => Enum.GetNames<T>().Contains(s, StringComparer.Ordinal) ? Enum.Parse<T>(s) : null;

    private static HashSet<HookDeletePolicy>? Policies(string? value, string annotation, Func<string, HookDeletePolicy?> parse)
    {
        if (value is null)
        {
            return null;
        }

        var policies = new HashSet<HookDeletePolicy>();
        foreach (var item in Items(value))
        {
            policies.Add(parse(item) ?? throw new FormatException($"annotation {annotation}: \"{item}\" is not a delete policy"));
        }

        return policies.Count > 0 ? policies : throw new FormatException($"annotation {annotation} is empty");
    }
}
