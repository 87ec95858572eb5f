using System.CommandLine;
using GitOps.Diff.Confinement;

namespace GitOps.Agent.Cli;

/// <summary>The tenancy flags of <c>sync</c> and <c>diff</c>: the agent config's tenancy keys, for one pass.</summary>
internal sealed class TenancyOptions
{
    public Option<string?> AllowedNamespaces { get; } = new("--allowed-namespaces")
    {
        Description = "Comma-separated namespaces (globs: team-a,team-a-*) the pass may write to; cluster-scoped objects are then refused unless --allow-cluster-scoped",
    };

    public Option<string?> AllowClusterScoped { get; } = new("--allow-cluster-scoped")
    {
        Description = "Allow cluster-scoped objects: bare for every kind, or comma-separated kinds (Namespace,ClusterRole.rbac.authorization.k8s.io), or false",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public Option<string?> ServiceAccount { get; } = new("--service-account")
    {
        Description = "NAMESPACE/NAME of a ServiceAccount: every request of the pass is made as it (impersonation), so its RBAC decides; the inventory is kept by your own account",
    };

    public Option<bool> NoAdopt { get; } = new("--no-adopt")
    {
        Description = "Refuse the revision when an object it holds exists without being managed by this target (instead of adopting it)",
    };

    public Option<string?> VerifyGpgKeys { get; } = new("--verify-gpg-keys") { Description = "Refuse the commit unless it is signed by an OpenPGP key of this file (armored or binary keyring)" };

    public Option<string?> VerifySshSigners { get; } = new("--verify-ssh-allowed-signers") { Description = "Refuse the commit unless it is SSH-signed by a key of this allowed-signers file (ssh-keygen -Y format)" };

    public void AddTo(Command command)
    {
        command.Options.Add(VerifyGpgKeys);
        command.Options.Add(VerifySshSigners);
        command.Options.Add(NoAdopt);
        command.Options.Add(ServiceAccount);
        command.Options.Add(AllowedNamespaces);
        command.Options.Add(AllowClusterScoped);
    }

    /// <exception cref="FormatException">A glob that is not one, or a default namespace outside the list.</exception>
    public TargetConfinement Confinement(ParseResult parse, string defaultNamespace)
    {
        var namespaces = List(parse.GetValue(AllowedNamespaces));
        if (namespaces?.Select(TargetConfinement.GlobProblem).OfType<string>().FirstOrDefault() is { } glob)
        {
            throw new FormatException($"--allowed-namespaces: {glob}");
        }

        var confinement = TargetConfinement.Of(namespaces, ClusterScoped(parse));
        return confinement.DefaultNamespaceProblem(defaultNamespace) is { } problem
            ? throw new FormatException($"--namespace: {problem}")
            : confinement;
    }

    /// <exception cref="FormatException">Not NAMESPACE/NAME.</exception>
    public string? ServiceAccountOf(ParseResult parse)
    {
        var sa = parse.GetValue(ServiceAccount);
        if (sa is not null && !sa.Contains('/', StringComparison.Ordinal))
        {
            throw new FormatException($"--service-account: '{sa}' is not NAMESPACE/NAME");
        }

        return sa;
    }

    /// <exception cref="FormatException">Both kinds of keys named.</exception>
    public Git.VerifyConfig? VerifyOf(ParseResult parse)
    {
        var (gpg, ssh) = (parse.GetValue(VerifyGpgKeys), parse.GetValue(VerifySshSigners));
        return gpg is not null && ssh is not null ? throw new FormatException("--verify-gpg-keys and --verify-ssh-allowed-signers: name one of them")
            : gpg is null && ssh is null ? null : new Git.VerifyConfig(gpg, ssh);
    }

    private ClusterScopePolicy? ClusterScoped(ParseResult parse)
    {
        if (parse.GetResult(AllowClusterScoped) is null)
        {
            return null;
        }

        return parse.GetValue(AllowClusterScoped) switch
        {
            null or "" or "true" => ClusterScopePolicy.Any,
            "false" => ClusterScopePolicy.None,
            var kinds => ClusterScopePolicy.Only(List(kinds)!),
        };
    }

    private static List<string>? List(string? text) =>
        text?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
