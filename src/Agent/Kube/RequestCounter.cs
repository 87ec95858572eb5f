using System.Collections.Concurrent;

namespace GitOps.Agent.Kube;

/// <summary>Counts requests to the API server by verb, so tests and benchmarks can assert costs.</summary>
internal sealed class RequestCounter : DelegatingHandler
{
    private readonly ConcurrentDictionary<string, int> counts = new(StringComparer.Ordinal);
    private int writes;

    public int this[string verb] => counts.GetValueOrDefault(verb);

    public int Total => counts.Values.Sum();

    /// <summary>Requests that may change state: anything but GET (dry-run PATCHes included).</summary>
    public int Writes => Volatile.Read(ref writes);

    public IReadOnlyDictionary<string, int> Snapshot() => new Dictionary<string, int>(counts);

    /// <summary>
    /// Checked for every write except the Lease's own, as the last step before the request goes to
    /// the socket: a process frozen earlier than this finds the fence down when it wakes.
    /// </summary>
    public IWriteFence Fence { get; set; } = WriteFence.None;

    /// <summary>The leader Lease's collection and object paths: its create and renewals are what the fence is made of.</summary>
    public IReadOnlyList<string> FenceExempt { get; set; } = [];

    /// <summary>Throws when <paramref name="request"/> writes (not a GET, not a dry run, not the Lease's own) and the fence is down.</summary>
    public void EnsureMayWrite(HttpRequestMessage request)
    {
        if (IsWrite(request) && !FenceExempt.Contains(request.RequestUri?.AbsolutePath ?? string.Empty, StringComparer.Ordinal))
        {
            Fence.EnsureHeld();
        }
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Leader election's Lease renewals are counted apart: they are the price of HA, not of syncing.
        var path = request.RequestUri?.AbsolutePath ?? string.Empty;
        var lease = path.Contains("/leases/", StringComparison.Ordinal) || path.EndsWith("/leases", StringComparison.Ordinal); // renewals, and the first create
        var verb = request.Method.Method + (IsDryRun(request) ? " (dry-run)" : string.Empty) + (lease ? " (lease)" : string.Empty);
        counts.AddOrUpdate(verb, 1, (_, n) => n + 1);
        if (IsWrite(request))
        {
            EnsureMayWrite(request);
            Interlocked.Increment(ref writes);
        }

        return PhaseClock.Enabled ? TimedAsync(request, verb, cancellationToken) : base.SendAsync(request, cancellationToken);
    }

    private async Task<HttpResponseMessage> TimedAsync(HttpRequestMessage request, string verb, CancellationToken ct)
    {
        var what = $"{verb} {request.RequestUri?.PathAndQuery}";
        PhaseClock.Mark($"request {what}");
        var response = await base.SendAsync(request, ct);
        PhaseClock.Mark($"response {(int)response.StatusCode} {what}");
        return response;
    }

    private static bool IsDryRun(HttpRequestMessage request) => request.RequestUri?.Query.Contains("dryRun=All", StringComparison.Ordinal) == true;

    /// <summary>A request that may change state: anything but GET, dry runs excluded.</summary>
    private static bool IsWrite(HttpRequestMessage request) => request.Method != HttpMethod.Get && !IsDryRun(request);
}
