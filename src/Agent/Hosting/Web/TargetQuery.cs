using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace GitOps.Agent.Hosting.Web;

/// <summary>Which targets a list shows: all, or only those with a problem.</summary>
internal enum TargetFilter
{
    All,
    Problems,
}

/// <summary>How many targets are in each state, over all targets (the front page's summary).</summary>
internal sealed record TargetCounts(int Total, int Synced, int Failed, int Progressing, int Pending, int Problems);

/// <summary>One page of a filtered target list, and how many matched in all.</summary>
internal sealed record TargetPage(IReadOnlyList<TargetView> Targets, int Matched, int Offset, int Limit, TargetCounts Counts);

/// <summary>
/// The front page's and <c>/api/targets</c>' query: <c>filter=problems</c>, <c>q=</c> (a part of the
/// name, repository or path), <c>offset</c> and <c>limit</c> (at most <see cref="MaxLimit"/>).
/// </summary>
internal sealed record TargetQuery(TargetFilter Filter, string Search, int Offset, int Limit)
{
    public const int MaxLimit = 1000;

    public static TargetQuery Parse(IQueryCollection query, int pageSize)
    {
        var filter = string.Equals(query["filter"], "problems", StringComparison.Ordinal) ? TargetFilter.Problems : TargetFilter.All;
        var offset = Number(query["offset"], 0, int.MaxValue) ?? 0;
        var limit = Number(query["limit"], 1, MaxLimit) ?? pageSize;
        return new TargetQuery(filter, ((string?)query["q"] ?? string.Empty).Trim(), offset, limit);
    }

    public TargetPage Apply(ViewSnapshot snapshot)
    {
        var matched = new List<TargetView>();
        int synced = 0, failed = 0, progressing = 0, pending = 0, problems = 0;
        foreach (var t in snapshot.Targets.Values)
        {
            synced += t.Phase == TargetPhase.Synced ? 1 : 0;
            failed += t.Phase == TargetPhase.Failed ? 1 : 0;
            progressing += t.Phase == TargetPhase.Progressing ? 1 : 0;
            pending += t.Phase == TargetPhase.Pending ? 1 : 0;
            problems += t.HasProblem ? 1 : 0;
            if ((Filter == TargetFilter.All || t.HasProblem) && Matches(t))
            {
                matched.Add(t);
            }
        }

        var counts = new TargetCounts(snapshot.Targets.Count, synced, failed, progressing, pending, problems);
        var page = matched.Skip(Offset).Take(Limit).ToList();
        return new TargetPage(page, matched.Count, Offset, Limit, counts);
    }

    /// <summary>The query string of this query at another offset, for "next" and "previous" links.</summary>
    public string At(int offset)
    {
        var parts = new List<string>();
        if (Filter == TargetFilter.Problems)
        {
            parts.Add("filter=problems");
        }

        if (Search.Length > 0)
        {
            parts.Add("q=" + Uri.EscapeDataString(Search));
        }

        if (offset > 0)
        {
            parts.Add("offset=" + offset.ToString(CultureInfo.InvariantCulture));
        }

        return parts.Count == 0 ? string.Empty : "?" + string.Join('&', parts);
    }

    private bool Matches(TargetView t) => Search.Length == 0
        || t.Name.Contains(Search, StringComparison.OrdinalIgnoreCase)
        || t.Repository.Contains(Search, StringComparison.OrdinalIgnoreCase)
        || t.Path.Contains(Search, StringComparison.OrdinalIgnoreCase);

    private static int? Number(string? text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? Math.Clamp(n, min, max) : null;
}
