using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GitOps.Agent.Git;
using GitOps.Agent.Hosting.Hooks;
using GitOps.Agent.Sync;
using GitOps.Diff.Render;

namespace GitOps.Agent.Hosting;

/// <summary>
/// Reads and validates the agent's configuration file with the same YAML reader as manifests.
/// Every problem is reported at once, at start, with the path of the field it concerns
/// (<c>targets[1].intervall: unknown key (did you mean interval?)</c>): a bad config should stop
/// the agent before it touches the cluster, not in the middle of a pass. Unset keys keep the
/// defaults of <see cref="AgentConfig"/>, <see cref="TargetConfig"/> and <see cref="WorkerOptions"/>.
/// </summary>
internal static partial class AgentConfigLoader
{
    private static readonly string[] InlineSecretKeys = ["password", "token", "username", "privateKey"];

    /// <summary>Keys ARCHITECTURE.md reserves for later releases; set today, they would silently do nothing.</summary>
    private static readonly string[] FutureTopKeys = [];

    private static readonly string[] FutureTargetKeys = [];

    public static AgentConfig Load(string path) => Parse(path, File.ReadAllText(path));

    /// <summary>The configuration in <paramref name="text"/>; <paramref name="path"/> names it in errors.</summary>
    /// <exception cref="AgentConfigException">Every problem of the file, each with its field's path.</exception>
    /// <exception cref="ManifestException">The text is not valid YAML (file:line:column).</exception>
    public static AgentConfig Parse(string path, string text)
    {
        var documents = ManifestRenderer.ReadDocuments(path, text);
        if (documents.Count != 1)
        {
            throw new AgentConfigException(path, [documents.Count == 0 ? "the file is empty" : $"a second document at {documents[1].Start}; the configuration is one document"]);
        }

        var errors = new List<string>();
        var config = Bind(documents[0].Root, errors);
        return errors.Count == 0 && config is not null ? config : throw new AgentConfigException(path, errors);
    }

    private static AgentConfig? Bind(JsonNode root, List<string> errors)
    {
        var top = ConfigNode.Of(root, "", errors);
        if (top is null)
        {
            return null;
        }

        top.NotSupportedYet(FutureTopKeys);
        var defaults = AgentConfig.Default(Targets(top, errors));
        var config = defaults with
        {
            Cluster = top.String("cluster") ?? defaults.Cluster,
            Namespace = top.String("namespace") ?? defaults.Namespace,
            Port = IntegerIn(top, "port", 1, 65535) ?? defaults.Port,
            Concurrency = IntegerIn(top, "concurrency", 1, 1000) ?? defaults.Concurrency,
            Shards = IntegerIn(top, "shards", 1, AgentConfig.MaxShards) ?? defaults.Shards,
            BindAddress = BindAddress(top),
            CacheDir = top.String("cacheDir") ?? defaults.CacheDir,
            LeaseName = top.String("leaseName") ?? defaults.LeaseName,
            LeaseDuration = top.Duration("leaseDuration", AgentConfig.MinLeaseDuration) ?? defaults.LeaseDuration,
            Worker = Worker(top, defaults.Worker, errors),
            PublicUrl = ForgeConfig.PublicUrl(top),
            Receivers = ReceiverConfig.Read(top, errors),
            Web = GitOps.Agent.Hosting.Web.WebOptions.Read(top),
            HealthRules = HealthRulesConfig.Read(top, errors),
            Render = RenderConfig.Tools(top),
        };
        top.Finish();
        return config;
    }

    private static List<TargetConfig> Targets(ConfigNode top, List<string> errors)
    {
        var items = top.List("targets");
        if (items.Count == 0 && top.Node("targets") is null or JsonArray)
        {
            errors.Add("targets: at least one target is required");
        }

        var targets = items.Select(item => Target(item.Item, item.Path, errors)).OfType<TargetConfig>().ToList();
        foreach (var dup in targets.GroupBy(t => t.Name).Where(g => g.Count() > 1))
        {
            errors.Add($"targets: the name '{dup.Key}' is used twice");
        }

        errors.AddRange(TargetDependencies.Problems(targets));
        return targets;
    }

    private static TargetConfig? Target(JsonNode? item, string path, List<string> errors)
    {
        var t = ConfigNode.Of(item, path, errors);
        if (t is null)
        {
            return null;
        }

        t.NotSupportedYet(FutureTargetKeys);
        var name = t.Required("name");
        if (name is not null && !DnsLabel().IsMatch(name))
        {
            t.Error("name", "lower-case letters, digits and '-', at most 52 (it names a ConfigMap)");
        }

        var repository = t.Required("repository");
        var defaults = new TargetConfig(name ?? "", repository ?? "");
        var target = defaults with
        {
            Branch = t.String("branch") ?? defaults.Branch,
            Path = t.String("path") ?? defaults.Path,
            Interval = t.Duration("interval", TargetConfig.MinInterval) ?? defaults.Interval,
            Prune = t.Bool("prune") ?? defaults.Prune,
            AllowEmpty = t.Bool("allowEmpty") ?? defaults.AllowEmpty,
            PruneProtectedKinds = t.Bool("pruneProtectedKinds") ?? defaults.PruneProtectedKinds,
            DefaultNamespace = t.String("defaultNamespace") ?? defaults.DefaultNamespace,
            Timeout = t.Duration("timeout", TimeSpan.Zero) ?? defaults.Timeout,
            Credentials = Credentials(t) ?? defaults.Credentials,
            IgnoreDifferences = t.Node("ignoreDifferences") is { } rules ? IgnoreDifferences.Read(rules, t.At("ignoreDifferences"), errors) : defaults.IgnoreDifferences,
            CommitStatus = ForgeConfig.CommitStatus(t),
            DependsOn = t.Strings("dependsOn") ?? defaults.DependsOn,
            Confinement = TenancyConfig.Confinement(t, t.String("defaultNamespace") ?? defaults.DefaultNamespace),
            ServiceAccount = TenancyConfig.ServiceAccount(t),
            Adopt = t.Bool("adopt") ?? defaults.Adopt,
            Verify = TenancyConfig.Verify(t),
            Render = RenderConfig.Read(t),
        };
        t.Finish();
        return name is null || repository is null ? null : target;
    }

    private static GitCredentials? Credentials(ConfigNode target)
    {
        var c = target.Mapping("credentials");
        if (c is null)
        {
            return null;
        }

        c.Refuse(InlineSecretKeys, "secrets are never inline; put the secret in a file and name the file with usernameFile or tokenFile");
        var credentials = new GitCredentials(c.String("usernameFile"), c.String("tokenFile"));
        c.Finish();
        return credentials;
    }

    private static WorkerOptions Worker(ConfigNode top, WorkerOptions defaults, List<string> errors)
    {
        var backoff = top.Mapping("backoff");
        var worker = defaults with
        {
            BackoffInitial = backoff?.Duration("initial") ?? defaults.BackoffInitial,
            BackoffMax = backoff?.Duration("max") ?? defaults.BackoffMax,
            ResyncPeriod = top.Duration("resyncPeriod") ?? defaults.ResyncPeriod,
        };
        backoff?.Finish();
        errors.AddRange(worker.Problems());
        return worker;
    }

    /// <summary>An integer from <paramref name="min"/> to <paramref name="max"/>; null (and an error) otherwise or when absent.</summary>
    private static int? IntegerIn(ConfigNode top, string key, int min, int max)
    {
        var rule = $"must be an integer from {min} to {max}";
        var value = top.Integer(key, rule);
        if (value < min || value > max)
        {
            top.Error(key, rule);
            return null;
        }

        return (int?)value;
    }

    /// <summary>An IP address as written (<c>IPAddress.TryParse</c> alone takes <c>1</c> for 0.0.0.1); <c>*</c> is every interface.</summary>
    private static string? BindAddress(ConfigNode top)
    {
        var text = top.String("bindAddress");
        if (text is null or "*")
        {
            return null;
        }

        var written = IPAddress.TryParse(text, out var ip)
            && (ip.AddressFamily == AddressFamily.InterNetworkV6 ? text.Contains(':', StringComparison.Ordinal) : text.Count(c => c == '.') == 3);
        if (!written)
        {
            top.Error("bindAddress", "must be an IP address (such as 0.0.0.0, 127.0.0.1 or ::), or * for every interface");
            return null;
        }

        return text;
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,50}[a-z0-9])?$")]
    private static partial Regex DnsLabel();
}

/// <summary>A configuration file that cannot be used: every problem, each naming its field.</summary>
internal sealed class AgentConfigException : Exception
{
    public AgentConfigException(string file, IReadOnlyList<string> errors)
        : base(ConfigNode.Describe(file, errors)) => Errors = errors;

    public IReadOnlyList<string> Errors { get; }
}
