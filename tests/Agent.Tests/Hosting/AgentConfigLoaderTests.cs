using GitOps.Agent.Git;
using GitOps.Agent.Hosting;
using GitOps.Agent.Tests.Git;
using GitOps.Diff.Drift;
using GitOps.Diff.Render;

namespace GitOps.Agent.Tests.Hosting;

/// <summary>
/// The configuration file as a user writes it: every key binds, every problem is reported at
/// once with its path, and what is unset keeps the records' defaults.
/// </summary>
public sealed class AgentConfigLoaderTests
{
    private const string Minimal = "targets:\n- name: app\n  repository: https://git.example.com/deploy.git\n";

    [Fact]
    public void Load_EveryKey_BindsEveryValue()
    {
        using var folder = new TempFolder();
        var file = folder.Combine("agent.yaml");
        File.WriteAllText(file, """
            cluster: prod
            namespace: gitops-prod
            port: 9090
            bindAddress: 127.0.0.1
            cacheDir: /srv/cache
            leaseName: prod-agent
            leaseDuration: 30s
            backoff: {initial: 1s, max: 2m}
            resyncPeriod: 20m
            targets:
            - name: django
              repository: https://git.example.com/deploy.git
              branch: release
              path: prod/django
              interval: 30s
              prune: true
              allowEmpty: yes
              pruneProtectedKinds: true
              defaultNamespace: django-demo
              timeout: 2m
              credentials: {usernameFile: /etc/git/username, tokenFile: /etc/git/token}
              ignoreDifferences:
              - {group: apps, kind: Deployment, name: web, namespace: shop, jsonPointers: [/spec/replicas]}
              - {kind: ConfigMap, jsonPointers: [/data/generated, /metadata/annotations/x]}
            """);

        var config = AgentConfigLoader.Load(file);

        Assert.Equal(("prod", "gitops-prod", 9090, "127.0.0.1", "/srv/cache", "prod-agent", TimeSpan.FromSeconds(30)),
            (config.Cluster, config.Namespace, config.Port, config.BindAddress, config.CacheDir, config.LeaseName, config.LeaseDuration));
        Assert.Equal(new WorkerOptions { BackoffInitial = TimeSpan.FromSeconds(1), BackoffMax = TimeSpan.FromMinutes(2), ResyncPeriod = TimeSpan.FromMinutes(20) }, config.Worker);
        var target = Assert.Single(config.Targets);
        Assert.Equal(("django", "https://git.example.com/deploy.git", "release", "prod/django", TimeSpan.FromSeconds(30)),
            (target.Name, target.Repository, target.Branch, target.Path, target.Interval));
        Assert.Equal((true, true, true, "django-demo", (TimeSpan?)TimeSpan.FromMinutes(2)),
            (target.Prune, target.AllowEmpty, target.PruneProtectedKinds, target.DefaultNamespace, target.Timeout));
        Assert.Equal(new GitCredentials("/etc/git/username", "/etc/git/token"), target.Credentials);
        Assert.Equal(2, target.IgnoreDifferences.Count);
        Assert.Equal(("apps", "Deployment", "shop", "web"), (target.IgnoreDifferences[0].Group, target.IgnoreDifferences[0].Kind, target.IgnoreDifferences[0].Namespace, target.IgnoreDifferences[0].Name));
        Assert.Equal(["/spec/replicas"], target.IgnoreDifferences[0].JsonPointers);
        Assert.Equal(("", "ConfigMap", (string?)null, (string?)null), (target.IgnoreDifferences[1].Group, target.IgnoreDifferences[1].Kind, target.IgnoreDifferences[1].Namespace, target.IgnoreDifferences[1].Name));
        Assert.Equal(["/data/generated", "/metadata/annotations/x"], target.IgnoreDifferences[1].JsonPointers);
        Assert.Same(target.IgnoreDifferences, target.SyncTarget(config.Namespace).Ignore);
    }

    [Fact]
    public void Parse_OnlyRequiredKeys_KeepsTheRecordsDefaults()
    {
        var config = AgentConfigLoader.Parse("agent.yaml", Minimal);

        var target = Assert.Single(config.Targets);
        var expected = AgentConfig.Default(config.Targets);
        Assert.Equal(expected with { Identity = config.Identity }, config);
        Assert.Equal(new TargetConfig("app", "https://git.example.com/deploy.git"), target);
        Assert.Equal(new WorkerOptions(), config.Worker);
        Assert.Null(config.BindAddress);
        Assert.Empty(target.IgnoreDifferences);
    }

    [Fact]
    public void Parse_ManyProblems_ReportsEveryOneWithItsPath()
    {
        var error = Invalid("""
            port: 70000
            leaseDuration: 1s
            bindAddress: localhost
            backoff: {initial: 10s, max: 5s}
            targets:
            - name: a
              repository: r
              prune: "yes"
              interval: 1s
            - name: Bad_Name
              repository: r
              intervall: 1m
              timeout: soon
            - name: a
            """);

        Assert.Equal(
            [
                "targets[0].interval: must be at least 5s",
                "targets[0].prune: must be true or false",
                "targets[1].name: lower-case letters, digits and '-', at most 52 (it names a ConfigMap)",
                "targets[1].timeout: 'soon' is not a duration (examples: 30s, 5m, 1h30m)",
                "targets[1].intervall: unknown key (did you mean interval?)",
                "targets[2].repository: required",
                "port: must be an integer from 1 to 65535",
                "bindAddress: must be an IP address (such as 0.0.0.0, 127.0.0.1 or ::), or * for every interface",
                "leaseDuration: must be at least 3s",
                "backoff.max: must be at least backoff.initial (10s)",
            ],
            error.Errors);
        Assert.StartsWith("agent.yaml: 10 problems:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_HelmAndKustomize_BindToTheTarget()
    {
        var config = AgentConfigLoader.Parse("agent.yaml", Minimal + Indent("helm:\n  releaseName: web\n  valuesFiles: [values-prod.yaml]\n  values: {replicas: 3}\n")
            + "- name: overlay\n  repository: https://git.example.com/deploy.git\n  kustomize: {}\n");

        var helm = config.Targets[0].SyncTarget("gitops").Render;
        Assert.Equal(SourceKind.Helm, helm.Kind);
        Assert.Equal("web", helm.Helm.ReleaseName);
        Assert.Equal(["values-prod.yaml"], helm.Helm.ValuesFiles);
        Assert.Equal(3L, (long?)helm.Helm.Values!["replicas"]);
        Assert.Equal(SourceKind.Kustomize, config.Targets[1].Render.Kind);
    }

    [Theory]
    [InlineData("intervl: 1m\n", "targets[0].intervl: unknown key (did you mean interval?)")]
    [InlineData("credentials: {usernameFile: /u, tokenFiles: /t}\n", "targets[0].credentials.tokenFiles: unknown key (did you mean tokenFile?)")]
    [InlineData("ignoreDifferences: [{kind: Deployment, jsonPointer: [/spec/replicas]}]\n", "targets[0].ignoreDifferences[0].jsonPointer: unknown key (did you mean jsonPointers?)")]
    [InlineData("helm: {releaseName: web, valuesFile: [a.yaml]}\n", "targets[0].helm.valuesFile: unknown key (did you mean valuesFiles?)")]
    [InlineData("helm: {values: [1]}\n", "targets[0].helm.values: must be a mapping of Helm values")]
    [InlineData("helm: {valuesFiles: [/etc/values.yaml]}\n", "targets[0].helm.valuesFiles: '/etc/values.yaml' must be relative to the chart folder (and inside the repository)")]
    [InlineData("kustomize: {}\nhelm: {}\n", "targets[0].helm: a target is either kustomize or helm, not both")]
    [InlineData("kustomize: {enableHelm: true}\n", "targets[0].kustomize.enableHelm: unknown key")]
    [InlineData("color: blue\n", "targets[0].color: unknown key")]
    public void Parse_UnknownOrFutureTargetKey_IsAnError(string extra, string expected)
    {
        var error = Invalid(Minimal + Indent(extra));

        Assert.Contains(expected, error.Errors);
    }

    [Theory]
    [InlineData("clustr: prod\n", "clustr: unknown key (did you mean cluster?)")]
    [InlineData("backoff: {initial: 1s, maximum: 1m}\n", "backoff.maximum: unknown key")]
    [InlineData("backoff: {inital: 1s}\n", "backoff.inital: unknown key (did you mean initial?)")]
    public void Parse_UnknownOrFutureTopLevelKey_IsAnError(string extra, string expected)
    {
        var error = Invalid(extra + Minimal);

        Assert.Equal([expected], error.Errors);
    }

    [Fact]
    public void Parse_Concurrency_BoundsPassesAtOnceAndDefaultsFromTheMachine()
    {
        Assert.Equal(12, AgentConfigLoader.Parse("agent.yaml", "concurrency: 12\n" + Minimal).Concurrency);
        Assert.Equal(Math.Max(4, Environment.ProcessorCount * 4), AgentConfigLoader.Parse("agent.yaml", Minimal).Concurrency);
    }

    [Fact]
    public void Parse_Shards_DefaultsToOneLeaderLease()
    {
        Assert.Equal(1, AgentConfigLoader.Parse("agent.yaml", Minimal).Shards);
        Assert.Equal(3, AgentConfigLoader.Parse("agent.yaml", "shards: 3\n" + Minimal).Shards);
    }

    [Theory]
    [InlineData("shards: 0\n", "shards: must be an integer from 1 to 256")]
    [InlineData("shards: three\n", "shards: must be an integer from 1 to 256")]
    [InlineData("port: \"8080\"\n", "port: must be an integer from 1 to 65535")]
    [InlineData("port: 0\n", "port: must be an integer from 1 to 65535")]
    [InlineData("port: 80.5\n", "port: must be an integer from 1 to 65535")]
    [InlineData("concurrency: 0\n", "concurrency: must be an integer from 1 to 1000")]
    [InlineData("concurrency: many\n", "concurrency: must be an integer from 1 to 1000")]
    [InlineData("cluster: 42\n", "cluster: must be a string")]
    [InlineData("leaseDuration: 15\n", "leaseDuration: must be a duration such as 30s, 5m or 1h30m")]
    [InlineData("backoff: 5s\n", "backoff: must be a mapping")]
    [InlineData("backoff: {initial: 0s}\n", "backoff.initial: must be more than 0")]
    [InlineData("targets: app\n", "targets: must be a list")]
    public void Parse_WrongTopLevelValue_NamesTheKey(string yaml, string expected)
    {
        var text = yaml.StartsWith("targets", StringComparison.Ordinal) ? yaml : yaml + Minimal;

        var error = Invalid(text);

        Assert.Equal([expected], error.Errors);
    }

    [Theory]
    [InlineData("prune: \"true\"\n", "targets[0].prune: must be true or false")]
    [InlineData("allowEmpty: 1\n", "targets[0].allowEmpty: must be true or false")]
    [InlineData("branch: [main]\n", "targets[0].branch: must be a string")]
    [InlineData("timeout: 0s\n", "targets[0].timeout: must be more than 0")]
    [InlineData("credentials: /etc/git\n", "targets[0].credentials: must be a mapping")]
    [InlineData("ignoreDifferences: {kind: Deployment}\n", "targets[0].ignoreDifferences: must be a list of {group, kind, name, namespace, jsonPointers}")]
    public void Parse_WrongTargetValue_NamesTheKey(string extra, string expected)
    {
        var error = Invalid(Minimal + Indent(extra));

        Assert.Equal([expected], error.Errors);
    }

    [Theory]
    [InlineData("token")]
    [InlineData("password")]
    [InlineData("username")]
    [InlineData("privateKey")]
    public void Parse_InlineSecret_IsRefusedWithoutQuotingIt(string key)
    {
        var error = Invalid(Minimal + Indent($"credentials: {{usernameFile: /u, {key}: hunter2-very-secret}}\n"));

        Assert.Equal([$"targets[0].credentials.{key}: secrets are never inline; put the secret in a file and name the file with usernameFile or tokenFile"], error.Errors);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("0.0.0.0")]
    [InlineData("::1")]
    public void Parse_BindAddress_AcceptsAddressesAndStar(string address)
    {
        var config = AgentConfigLoader.Parse("agent.yaml", $"bindAddress: \"{address}\"\n" + Minimal);

        Assert.Equal(address == "*" ? null : address, config.BindAddress);
    }

    [Fact]
    public void Parse_NoTargetsAndDuplicates_AreErrors()
    {
        Assert.Equal(["targets: at least one target is required"], Invalid("cluster: x\n").Errors);
        Assert.Contains("targets: the name 'app' is used twice", Invalid(Minimal + Minimal["targets:\n".Length..]).Errors);
    }

    [Fact]
    public void Parse_InvalidYaml_ThrowsWithFileLineAndColumn()
    {
        var ex = Assert.Throws<ManifestException>(() => AgentConfigLoader.Parse("agent.yaml", "cluster: a\ncluster: b\n" + Minimal));

        Assert.StartsWith("agent.yaml:2:1: duplicate key", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TwoDocumentsOrNone_AreErrors()
    {
        Assert.Equal(["the file is empty"], Invalid("# nothing\n").Errors);
        Assert.StartsWith("a second document at agent.yaml:", Assert.Single(Invalid(Minimal + "---\n" + Minimal).Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_IgnoreDifferencesCoreGroup_MatchesCoreObjectsOnly()
    {
        var config = AgentConfigLoader.Parse("agent.yaml", Minimal + Indent("ignoreDifferences: [{kind: Service, jsonPointers: [/spec/clusterIP]}]\n"));

        var rule = Assert.Single(Assert.Single(config.Targets).IgnoreDifferences);
        Assert.Equal(new IgnoreRule("", "Service", null, null, rule.JsonPointers), rule);
        Assert.Same(rule, Assert.Single(config.Targets[0].SyncTarget("gitops").Ignore)); // what the engine is given
        Assert.True(rule.Matches(new("", "Service", "ns", "web")));
        Assert.False(rule.Matches(new("serving.knative.dev", "Service", "ns", "web")));
    }

    [Fact]
    public void Parse_ShippedDeployConfigMap_Binds()
    {
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (d is not null && !File.Exists(Path.Combine(d.FullName, "GitOps.sln")))
        {
            d = d.Parent;
        }

        var file = Path.Combine(d!.FullName, "deploy", "configmap.yaml");
        var configMap = Assert.Single(ManifestRenderer.RenderText(file, File.ReadAllText(file))).Object;

        var config = AgentConfigLoader.Parse(file, (string)configMap["data"]!["config.yaml"]!);

        Assert.Equal("django", Assert.Single(config.Targets).Name);
    }

    private static AgentConfigException Invalid(string text) =>
        Assert.Throws<AgentConfigException>(() => AgentConfigLoader.Parse("agent.yaml", text));

    /// <summary>Lines added to the first target of <see cref="Minimal"/>.</summary>
    private static string Indent(string lines) => string.Concat(lines.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => $"  {l}\n"));
}
