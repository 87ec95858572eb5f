namespace GitOps.Agent.Hosting;

/// <summary>
/// One term of leadership: the target workers run under a token that ends with the term, and
/// each term starts from scratch (another replica may have synced and written notes meanwhile).
/// </summary>
internal sealed class AgentTerm
{
    private readonly IReadOnlyList<TargetWorker> workers;
    private readonly Action forget;
    private readonly Action<Exception> failed;
    private readonly Lock gate = new();
    private CancellationTokenSource? leading;
    private Task work = Task.CompletedTask;

    /// <param name="forget">Drops what the last term remembered (inventories written, notes reported).</param>
    /// <param name="failed">Told of a worker that ended with an exception.</param>
    public AgentTerm(IEnumerable<TargetWorker> workers, LeaseFence fence, Action forget, Action<Exception> failed)
    {
        this.workers = workers.ToList();
        this.forget = forget;
        this.failed = failed;
        fence.Lost += Cancel; // a fence that went down ends the term at once, not at the next renewal
    }

    public void Begin(CancellationToken stopping)
    {
        lock (gate)
        {
            forget();
            leading = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            var token = leading.Token;
            work = Task.WhenAll(workers.Select(w => Task.Run(() => w.RunAsync(token), CancellationToken.None)));
        }
    }

    public async Task EndAsync()
    {
        Task ending;
        lock (gate)
        {
            leading?.Cancel();
            ending = work;
        }

        try
        {
            await ending;
        }
        catch (OperationCanceledException)
        {
            // workers end by cancellation when the term or the process ends
        }
        catch (Exception ex)
        {
            // A worker must never end the agent: its failure is told, and the next term starts anew.
            failed(ex);
        }

        lock (gate)
        {
            leading?.Dispose();
            leading = null;
            work = Task.CompletedTask;
        }
    }

    private void Cancel()
    {
        lock (gate)
        {
            leading?.Cancel();
        }
    }
}
