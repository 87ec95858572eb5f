using System.Globalization;
using GitOps.Agent.Git;
using GitOps.Diff.Drift;

namespace GitOps.Agent.Hosting.Web;

/// <summary><c>/targets/&lt;name&gt;</c>: the target's state, the objects of its last pass, its last drift, and its branch's commits with their statuses.</summary>
internal static class TargetPageHtml
{
    public static string Render(string cluster, ViewSnapshot snapshot, TargetView t, DateTimeOffset now) =>
        Html.Page(t.Name, cluster, snapshot.Version, now, h =>
        {
            h.Raw("<h1>").Text(t.Name).Raw("</h1>");
            Facts(h, t);
            Objects(h, t);
            ReleaseHtml.Section(h, t);
            Drift(h, t);
            Commits(h, t);
        });

    /// <summary>The facts of a target as a definition list; shared with the commit page.</summary>
    public static void Facts(Html h, TargetView t)
    {
        h.Raw("<dl class=\"facts\"><dt>Phase</dt><dd>").Phase(t.Phase).Raw("</dd><dt>Health</dt><dd>").Health(t.Health)
            .Raw("</dd><dt>Live commit</dt><dd>").Commit(t.Name, t.LiveCommit)
            .Raw("</dd><dt>Repository</dt><dd class=\"source\">").Text(t.Repository)
            .Raw("</dd><dt>Branch · path</dt><dd>").Text(t.Branch).Raw(" · ").Text(t.Path)
            .Raw("</dd><dt>Last sync</dt><dd>").Time(t.LastSync).Raw("</dd>");
        if (t.LastError is { } error)
        {
            h.Raw("<dt>Last error</dt><dd class=\"error\">").Text(error).Raw("</dd>");
        }

        h.Raw("</dl>");
    }

    /// <summary>Objects with kind, namespace, name, wave, action, health and why; shared with the commit page.</summary>
    public static void ObjectTable(Html h, IEnumerable<ObjectView> objects, string empty)
    {
        var any = false;
        foreach (var o in objects)
        {
            if (!any)
            {
                h.Raw("<div class=\"scroll\"><table class=\"objects\"><thead><tr><th>Kind</th><th>Namespace</th><th>Name</th><th>Wave</th><th>Action</th><th>Health</th><th>Why</th></tr></thead><tbody>");
                any = true;
            }

            h.Raw("<tr><td data-label=\"Kind\">").Text(o.Key.Kind).Raw("</td><td data-label=\"Namespace\">").Text(o.Key.Namespace ?? "-")
                .Raw("</td><td data-label=\"Name\" class=\"name\">").Text(o.Key.Name)
                .Raw("</td><td data-label=\"Wave\">").Text(o.Wave?.ToString(CultureInfo.InvariantCulture) ?? "-").Raw("</td><td data-label=\"Action\">").Action(o.Action)
                .Raw("</td><td data-label=\"Health\">").Health(o.Health).Raw("</td><td data-label=\"Why\">").Text(o.HealthReason);
            if (o.Message is { } message)
            {
                h.Raw(o.Action is SyncAction.Failed or SyncAction.NotApplied ? "<div class=\"error\">" : "<div class=\"note\">").Text(message).Raw("</div>");
            }

            if (o.ChangedPaths.Count > 0)
            {
                h.Raw("<div class=\"paths\">").Text(string.Join(", ", o.ChangedPaths)).Raw("</div>");
            }

            h.Raw("</td></tr>");
        }

        h.Raw(any ? "</tbody></table></div>" : string.Empty);
        if (!any)
        {
            h.El("p", empty, "empty");
        }
    }

    private static void Objects(Html h, TargetView t)
    {
        h.Raw("<h2>Objects</h2>");
        if (t.LastPass is { } pass)
        {
            h.Raw("<p class=\"muted\">As of the last pass, at ").Commit(t.Name, pass.Commit).Raw(", ").Time(pass.Time).Raw("</p>");
        }

        ObjectTable(h, t.LastPass?.Objects ?? [], "No pass has run yet.");
    }

    private static void Drift(Html h, TargetView t)
    {
        h.Raw("<h2>Last drift</h2>");
        if (t.LastDrift is not { } drift)
        {
            h.El("p", "No drift seen since the agent started.", "empty");
            return;
        }

        h.Raw("<p class=\"muted\">Fields put back or moved by the pass at ").Commit(t.Name, drift.Commit).Raw(", ").Time(drift.Time)
            .Raw(" (paths only: values are never shown)</p>");
        ObjectTable(h, drift.Objects.Where(o => o.ChangedPaths.Count > 0), "No field moved.");
    }

    private static void Commits(Html h, TargetView t)
    {
        h.Raw("<h2>Commits</h2>");
        if (t.History.Commits.Count == 0)
        {
            h.El("p", "No commit read yet.", "empty");
            return;
        }

        h.Raw("<div class=\"scroll\"><table class=\"commits\"><thead><tr><th>Commit</th><th>Message</th><th>Author</th><th>Time</th><th>Status per cluster</th></tr></thead><tbody>");
        foreach (var c in t.History.Commits)
        {
            var live = c.Sha == t.LiveCommit ? " class=\"live-commit\"" : string.Empty;
            h.Raw($"<tr{live}><td data-label=\"Commit\">").Commit(t.Name, c.Sha).Raw(live.Length > 0 ? " <span class=\"badge s-live\">live</span>" : string.Empty)
                .Raw("</td><td data-label=\"Message\" class=\"subject\">").Text(c.Subject).Raw("</td><td data-label=\"Author\">").Text(c.Author)
                .Raw("</td><td data-label=\"Time\">").Time(c.Time).Raw("</td><td data-label=\"Status\">");
            Statuses(h, c, t.Name);
            h.Raw("</td></tr>");
        }

        h.Raw("</tbody></table></div>");
    }

    /// <summary>Each cluster's entry for this target on the commit: cluster, phase, health.</summary>
    public static void Statuses(Html h, CommitRecord c, string target)
    {
        var any = false;
        foreach (var e in c.Entries.Where(e => e.Target == target).OrderBy(e => e.Cluster, StringComparer.Ordinal))
        {
            any = true;
            h.Raw("<div class=\"status\"><span class=\"cluster\">").Text(e.Cluster).Raw("</span> ").Badge(e.Phase).Raw(" ").Badge(e.Health).Raw("</div>");
        }

        if (!any)
        {
            h.Raw("<span class=\"muted\">no status</span>");
        }
    }
}
