using GitOps.Agent.Git;
using GitOps.Agent.Hosting;
using GitOps.Agent.Hosting.Web;
using GitOps.Agent.Sync;
using GitOps.Diff.Drift;
using GitOps.Diff.Health;
using GitOps.Diff.Identity;

namespace GitOps.Agent.Tests.Hosting.Web;

/// <summary>Values of the read model built by hand: targets, passes, commits.</summary>
internal static class ViewFakes
{
    public static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    public static readonly ResourceKey ConfigMap = new(string.Empty, "ConfigMap", "demo", "settings");

    public static readonly ResourceKey Secret = new(string.Empty, "Secret", "demo", "db");

    public static TargetConfig Target(string name) => new(name, $"https://user:hunter2@git.example.com/{name}.git", "main", "prod");

    public static SyncResult Synced(string commit, params ObjectResult[] objects) =>
        new(commit, "app", SyncPhase.Synced, HealthStatus.Healthy, "configured=1", objects) { ClusterRevision = commit };

    public static SyncResult Failed(string commit, string message, string? cluster) =>
        new(commit, "app", SyncPhase.Failed, HealthStatus.Unknown, message, []) { ClusterRevision = cluster };

    public static ObjectResult Drifted(ResourceKey key, string path, string oldValue, string newValue) =>
        new(key, SyncAction.Configured, HealthStatus.Healthy) { Changes = [new FieldChange(path, oldValue, newValue)], HealthReason = $"{key.Kind}: exists" };

    public static PassContext Pass(string target, string commit) =>
        new(new SyncTarget(target), new GitSourceSpec($"/nonexistent/{target}.git", "main", "prod"), commit);

    public static string Sha(int n) => n.ToString("x40", System.Globalization.CultureInfo.InvariantCulture);

    public static CommitRecord Commit(string sha, string message, params CommitStatusEntry[] entries) =>
        new(sha, message.Split('\n')[0], message, "Ada <script>", Now.AddMinutes(-5), entries, ["prod/a.yaml"], 0);

    public static CommitStatusEntry Entry(string cluster, string target, string phase) =>
        new(cluster, target, phase, "Healthy", Now.AddMinutes(-4), new Dictionary<string, int> { ["configured"] = 1 }, phase == "Failed" ? "bad <b>yaml</b>" : null, "0.1.0");

    /// <summary>A store of <paramref name="count"/> targets, every tenth failed, the rest synced with one object each.</summary>
    public static ViewStore Store(int count)
    {
        var store = new ViewStore(Enumerable.Range(0, count).Select(i => TargetView.Of(Target($"t{i:D4}"))));
        for (var i = 0; i < count; i++)
        {
            var sha = Sha(i + 1);
            var result = i % 10 == 3 ? Failed(sha, "app/x.yaml:3:1: bad", null) : Synced(sha, new ObjectResult(ConfigMap, SyncAction.Unchanged, HealthStatus.Healthy));
            var pass = new PassView(sha, result.Phase == SyncPhase.Synced ? TargetPhase.Synced : TargetPhase.Failed, result.Health, result.Message, Now.AddMinutes(-1), [.. result.Objects.Select(o => new ObjectView(o.Key, o.Action, o.Health, null, null, []))]);
            store.Update($"t{i:D4}", v => ViewReporter.Record(v, pass, result, infrastructure: false) with { History = new CommitPage("tip", null, [Commit(sha, $"change {i}", Entry("prod", $"t{i:D4}", result.Phase.ToString()))]) });
        }

        return store;
    }

    internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
