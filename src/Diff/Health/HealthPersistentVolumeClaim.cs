namespace GitOps.Diff.Health;

/// <summary>
/// A claim is usable once bound to a volume. Pending is normal for WaitForFirstConsumer storage
/// classes until a Pod uses the claim, so it is never treated as a failure here.
/// </summary>
internal static class HealthPersistentVolumeClaim
{
    public static HealthResult Assess(StatusReader obj)
    {
        var phase = obj.Text("status.phase");
        return phase == "Bound"
            ? obj.Healthy("bound")
            : obj.Progressing($"not bound (phase {phase ?? "not reported"})");
    }
}
