using GitOps.Diff.Drift;
using GitOps.Diff.Health;
using GitOps.Diff.Masking;
using GitOps.Diff.Render;

namespace GitOps.Agent.Sync;

internal sealed partial class SyncEngine
{
    /// <summary>The state of one pass, and how it turns into a <see cref="SyncResult"/>.</summary>
    private sealed class Pass(SyncRequest request)
    {
        private const int ErrorsInMessage = 5;

        public SyncRequest Request { get; } = request;

        public SecretRedactor Redactor { get; set; } = SecretRedactor.None;

        public ApplySetInventory Inventory { get; set; } = ApplySetInventory.Empty(string.Empty);

        public List<PlannedObject> Objects { get; set; } = [];

        public SyncResult InputFailure(ManifestException ex) =>
            new(Request.Revision, Request.Target.Name, SyncPhase.Failed, HealthStatus.Unknown, Redactor.Redact(ex.Message), [])
            {
                InputError = true,
                ClusterRevision = Inventory.Revision,
            };

        public SyncResult Failure(string message) =>
            new(Request.Revision, Request.Target.Name, SyncPhase.Failed, HealthStatus.Unknown, message, Objects.Select(p => ToResult(p, null)).ToList())
            {
                ClusterRevision = Inventory.Revision,
            };

        /// <summary>A Failed result when any object has an error, naming the first few.</summary>
        public SyncResult? Rejected(string what)
        {
            var errors = Objects.Where(p => p.Error is not null).Select(p => p.Error!).ToList();
            if (errors.Count == 0)
            {
                return null;
            }

            var more = errors.Count > ErrorsInMessage ? $"; and {errors.Count - ErrorsInMessage} more" : string.Empty;
            var message = $"{errors.Count} object(s) {what}: {string.Join("; ", errors.Take(ErrorsInMessage))}{more}";
            var objects = Objects.Select(p => ToResult(p, null)).ToList();
            return new SyncResult(Request.Revision, Request.Target.Name, SyncPhase.Failed, HealthStatus.Unknown, message, objects)
            {
                ClusterRevision = Inventory.Revision,
            };
        }

        public SyncResult Complete(IReadOnlyDictionary<PlannedObject, HealthResult> health, IReadOnlyList<ObjectResult> pruned, bool emptyGuard)
        {
            var objects = Objects.Select(p => ToResult(p, health.GetValueOrDefault(p))).Concat(pruned).ToList();
            var aggregate = HealthAssessor.Aggregate(Objects.Where(p => p.Error is null).Select(p => health[p]));
            var failures = objects.Where(o => o.Action == SyncAction.Failed).Select(o => o.Message).ToList();
            var unhealthy = Request.Timeout is not null && !Request.DryRun && aggregate.Status != HealthStatus.Healthy;
            var phase = failures.Count > 0 || emptyGuard || unhealthy ? SyncPhase.Failed : SyncPhase.Synced;
            var message = failures.Count > 0 ? string.Join("; ", failures.Take(ErrorsInMessage))
                : emptyGuard ? "the revision renders no objects; nothing was pruned (the target does not allow empty)"
                : unhealthy ? $"not Healthy after {Request.Timeout!.Value.TotalSeconds:0}s: {NotHealthy(health)}"
                : Summary(objects);
            return new SyncResult(Request.Revision, Request.Target.Name, phase, aggregate.Status, message, objects)
            {
                ClusterRevision = Request.DryRun ? Inventory.Revision : Request.Revision,
            };
        }

        private static string NotHealthy(IReadOnlyDictionary<PlannedObject, HealthResult> health) =>
            string.Join("; ", health.Where(h => h.Value.Status != HealthStatus.Healthy).Take(ErrorsInMessage).Select(h => $"{h.Key.Key} is {h.Value.Status} ({h.Value.Reason})"));

        private static string Summary(IReadOnlyList<ObjectResult> objects) =>
            string.Join(' ', objects.GroupBy(o => o.Action).OrderBy(g => g.Key).Select(g => $"{g.Key.ToContract()}={g.Count()}"));

        private ObjectResult ToResult(PlannedObject p, HealthResult? health)
        {
            var status = health?.Status ?? HealthStatus.Unknown;
            if (p.Error is not null)
            {
                return new ObjectResult(p.Key, SyncAction.Failed, status, p.Error);
            }

            var action = p.Deferred && p.Drift.Action == SyncAction.Unchanged && Request.DryRun ? SyncAction.Created
                : p.TakeOver && p.Drift.Action == SyncAction.Unchanged ? SyncAction.Configured
                : p.Drift.Action;
            var message = p.TakeOver ? "took over fields owned by kubectl"
                : p.Recreate ? "recreated: an immutable field changed"
                : p.Deferred && Request.DryRun ? "validated once the Namespace or CRD it needs exists"
                : null;
            return new ObjectResult(p.Key, action, status, message) { Changes = p.Drift.Changes };
        }
    }
}
