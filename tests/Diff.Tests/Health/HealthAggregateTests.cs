using GitOps.Diff.Health;

namespace GitOps.Diff.Tests.Health;

public class HealthAggregateTests
{
    private static readonly HealthResult Healthy = new(HealthStatus.Healthy, "ConfigMap: no readiness signal, assumed healthy");
    private static readonly HealthResult Progressing = new(HealthStatus.Progressing, "Deployment: 1 of 2 replicas available");
    private static readonly HealthResult Unknown = new(HealthStatus.Unknown, "Pod: phase Unknown");
    private static readonly HealthResult Degraded = new(HealthStatus.Degraded, "Job: failed: BackoffLimitExceeded");

    [Fact]
    public void Aggregate_Empty_HealthyNoObjects()
    {
        Assert.Equal(new HealthResult(HealthStatus.Healthy, "no objects"), HealthAssessor.Aggregate([]));
    }

    [Fact]
    public void Aggregate_Single_ReturnsIt()
    {
        Assert.Same(Progressing, HealthAssessor.Aggregate([Progressing]));
    }

    [Fact]
    public void Aggregate_AllHealthy_HealthyWithFirstReason()
    {
        var other = new HealthResult(HealthStatus.Healthy, "Service: type ClusterIP");

        Assert.Same(Healthy, HealthAssessor.Aggregate([Healthy, other]));
    }

    [Theory]
    [InlineData(new[] { 0, 1 }, 1)]
    [InlineData(new[] { 1, 2, 0 }, 2)]
    [InlineData(new[] { 3, 2, 1, 0 }, 3)]
    [InlineData(new[] { 0, 1, 2, 3 }, 3)]
    public void Aggregate_Mixed_WorstWinsWithItsReason(int[] statuses, int worst)
    {
        HealthResult[] all = [Healthy, Progressing, Unknown, Degraded];

        var result = HealthAssessor.Aggregate(statuses.Select(s => all[s]));

        Assert.Same(all[worst], result);
    }

    [Fact]
    public void Aggregate_TiedWorst_FirstInInputOrder()
    {
        var first = new HealthResult(HealthStatus.Progressing, "StatefulSet: 1 of 3 replicas ready");

        Assert.Same(first, HealthAssessor.Aggregate([Healthy, first, Progressing]));
    }

    [Fact]
    public void Aggregate_UnknownVersusProgressing_UnknownIsWorse()
    {
        Assert.Equal(HealthStatus.Unknown, HealthAssessor.Aggregate([Progressing, Unknown, Progressing]).Status);
    }
}
