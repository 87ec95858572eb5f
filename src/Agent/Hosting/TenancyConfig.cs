using System.Text.Json.Nodes;
using GitOps.Diff.Confinement;

namespace GitOps.Agent.Hosting;

/// <summary>
/// The tenancy keys of a target: <c>allowedNamespaces: [team-a, team-a-*]</c> (globs) and
/// <c>allowClusterScoped: false | true | [Kind or Kind.group, …]</c>. Without
/// <c>allowClusterScoped</c>, a target that lists namespaces may write no cluster-scoped object.
/// </summary>
internal static partial class TenancyConfig
{
    public static TargetConfinement Confinement(ConfigNode t, string defaultNamespace)
    {
        var namespaces = t.Strings("allowedNamespaces");
        foreach (var problem in (namespaces ?? []).Select(TargetConfinement.GlobProblem).OfType<string>())
        {
            t.Error("allowedNamespaces", problem);
        }

        var confinement = TargetConfinement.Of(namespaces, ClusterScoped(t));
        if (confinement.DefaultNamespaceProblem(defaultNamespace) is { } wrong)
        {
            t.Error("defaultNamespace", wrong);
        }

        return confinement;
    }

    /// <summary><c>serviceAccount: NAMESPACE/NAME</c>, both DNS names.</summary>
    public static string? ServiceAccount(ConfigNode t)
    {
        var text = t.String("serviceAccount");
        if (text is not null && !ServiceAccountPattern().IsMatch(text))
        {
            t.Error("serviceAccount", $"'{text}' is not NAMESPACE/NAME");
            return null;
        }

        return text;
    }

    /// <summary><c>verify: {gpgKeysFile: F}</c> or <c>verify: {sshAllowedSignersFile: F}</c>, exactly one.</summary>
    public static GitOps.Agent.Git.VerifyConfig? Verify(ConfigNode t)
    {
        var v = t.Mapping("verify");
        if (v is null)
        {
            return null;
        }

        var config = new GitOps.Agent.Git.VerifyConfig(v.String("gpgKeysFile"), v.String("sshAllowedSignersFile"));
        v.Finish();
        if ((config.GpgKeysFile is null) == (config.SshAllowedSignersFile is null))
        {
            t.Error("verify", "name exactly one of gpgKeysFile and sshAllowedSignersFile");
            return null;
        }

        return config;
    }

    private static ClusterScopePolicy? ClusterScoped(ConfigNode t) => t.Node("allowClusterScoped") switch
    {
        null => null,
        JsonArray => ClusterScopePolicy.Only(t.Strings("allowClusterScoped") ?? []),
        _ => t.Bool("allowClusterScoped") is { } all ? (all ? ClusterScopePolicy.Any : ClusterScopePolicy.None) : null,
    };

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$")]
    private static partial System.Text.RegularExpressions.Regex ServiceAccountPattern();
}
