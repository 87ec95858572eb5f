namespace GitOps.Agent.Kube;

/// <summary>
/// Decides whether this process may write now. The agent's replicas write only while they
/// provably hold the leader Lease; the CLI has no fence (<see cref="None"/>).
/// </summary>
internal interface IWriteFence
{
    /// <summary>Returns when writing is allowed; throws <see cref="FenceLostException"/> otherwise.</summary>
    void EnsureHeld();
}

internal sealed class NoFence : IWriteFence
{
    public void EnsureHeld()
    {
    }
}

internal static class WriteFence
{
    public static IWriteFence None { get; } = new NoFence();
}

/// <summary>
/// A write was stopped before it was sent: this replica cannot prove it still holds the Lease
/// (it was paused, or could not renew in time). It is a cancellation: the pass stops, reports
/// nothing, and the replica starts a new term from scratch.
/// </summary>
internal sealed class FenceLostException(string message) : OperationCanceledException(message);
