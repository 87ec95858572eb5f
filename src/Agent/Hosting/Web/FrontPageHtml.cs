using System.Globalization;

namespace GitOps.Agent.Hosting.Web;

/// <summary><c>/</c>: every target (a page of them) with its source, live commit, phase, health, last sync and last error.</summary>
internal static class FrontPageHtml
{
    public static string Render(string cluster, ViewSnapshot snapshot, TargetQuery query, DateTimeOffset now)
    {
        var page = query.Apply(snapshot);
        return Html.Page("targets", cluster, snapshot.Version, now, h =>
        {
            Summary(h, page.Counts);
            Filters(h, query);
            h.Raw("<div class=\"scroll\"><table class=\"targets\"><thead><tr><th>Target</th><th>Phase</th><th>Health</th><th>Live commit</th>")
                .Raw("<th>Source</th><th>Last sync</th><th>Last error</th></tr></thead><tbody>");
            foreach (var t in page.Targets)
            {
                Row(h, t);
            }

            h.Raw("</tbody></table></div>");
            if (page.Targets.Count == 0)
            {
                h.El("p", query.Filter == TargetFilter.Problems ? "No target has a problem." : "No target matches.", "empty");
            }

            Pager(h, query, page);
        });
    }

    private static void Summary(Html h, TargetCounts c)
    {
        h.Raw("<p class=\"summary\">").Text($"{c.Total} targets: ")
            .Badge("Synced").Text($" {c.Synced} ").Badge("Failed").Text($" {c.Failed} ")
            .Badge("Progressing").Text($" {c.Progressing} ").Badge("Pending").Text($" {c.Pending}")
            .Raw("</p>");
    }

    private static void Filters(Html h, TargetQuery q)
    {
        h.Raw("<form class=\"filters\" method=\"get\" action=\"/\"><nav>");
        h.Link("/" + (q with { Filter = TargetFilter.All }).At(0), "All", q.Filter == TargetFilter.All ? "on" : null);
        h.Link("/" + (q with { Filter = TargetFilter.Problems }).At(0), "Failed or unhealthy", q.Filter == TargetFilter.Problems ? "on" : null);
        h.Raw("</nav>");
        if (q.Filter == TargetFilter.Problems)
        {
            h.Raw("<input type=\"hidden\" name=\"filter\" value=\"problems\">");
        }

        h.Raw("<input type=\"search\" name=\"q\" placeholder=\"name, repository or path\" aria-label=\"search\" value=\"").Text(q.Search)
            .Raw("\"><button type=\"submit\">Search</button></form>");
    }

    private static void Row(Html h, TargetView t)
    {
        h.Raw($"<tr class=\"{(t.HasProblem ? "problem" : "ok")}\" data-target=\"").Text(t.Name).Raw("\"><td data-label=\"Target\">")
            .Link(Urls.Target(t.Name), t.Name, "name")
            .Raw("</td><td data-label=\"Phase\">").Phase(t.Phase)
            .Raw("</td><td data-label=\"Health\">").Health(t.Health)
            .Raw("</td><td data-label=\"Live commit\">").Commit(t.Name, t.LiveCommit)
            .Raw("</td><td data-label=\"Source\" class=\"source\">").Text(t.Repository).Raw(" <span class=\"muted\">").Text(t.Branch).Raw(" · ").Text(t.Path).Raw("</span>")
            .Raw("</td><td data-label=\"Last sync\">").Time(t.LastSync)
            .Raw("</td><td data-label=\"Last error\" class=\"error\">").Text(t.LastError)
            .Raw("</td></tr>");
    }

    private static void Pager(Html h, TargetQuery q, TargetPage page)
    {
        if (page.Matched <= page.Limit)
        {
            return;
        }

        var first = page.Offset + 1;
        var last = Math.Min(page.Offset + page.Limit, page.Matched);
        h.Raw("<nav class=\"pager\">");
        if (page.Offset > 0)
        {
            h.Link("/" + q.At(Math.Max(0, page.Offset - page.Limit)), "← previous");
        }

        h.Raw(string.Create(CultureInfo.InvariantCulture, $" {first}–{last} of {page.Matched} ")); // numbers only
        if (last < page.Matched)
        {
            h.Link("/" + q.At(page.Offset + page.Limit), "next →");
        }

        h.Raw("</nav>");
    }
}
