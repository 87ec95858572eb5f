using GitOps.Agent.Git;

namespace GitOps.Agent.Hosting.Web;

/// <summary><c>/targets/&lt;name&gt;/commits/&lt;sha&gt;</c>: one commit's outcome per cluster, its message and author, and what it changed.</summary>
internal static class CommitPageHtml
{
    public static string Render(string cluster, ViewSnapshot snapshot, TargetView t, CommitRecord c, DateTimeOffset now) =>
        Html.Page($"{c.Sha[..7]} · {t.Name}", cluster, snapshot.Version, now, h =>
        {
            h.Raw("<p class=\"crumbs\">").Link(Urls.Target(t.Name), t.Name).Raw(" / commit</p><h1><code>").Text(c.Sha[..12]).Raw("</code> ").Text(c.Subject).Raw("</h1>");
            h.Raw("<dl class=\"facts\"><dt>Commit</dt><dd><code>").Text(c.Sha).Raw("</code></dd><dt>Author</dt><dd>").Text(c.Author)
                .Raw("</dd><dt>Time</dt><dd>").Time(c.Time).Raw("</dd><dt>Status</dt><dd>");
            TargetPageHtml.Statuses(h, c, t.Name);
            h.Raw("</dd></dl><h2>Message</h2><pre class=\"message\">").Text(c.Message.TrimEnd()).Raw("</pre>");
            Outcome(h, t, c);
            Messages(h, c, t.Name);
            Files(h, c);
        });

    private static void Outcome(Html h, TargetView t, CommitRecord c)
    {
        h.Raw("<h2>What the pass did</h2>");
        if (t.PassAt(c.Sha) is not { } pass)
        {
            h.El("p", "This agent has not run a pass at this commit since it started; the statuses above are from the notes.", "empty");
            return;
        }

        h.Raw("<p>").Phase(pass.Phase).Raw(" ").Health(pass.Health).Raw(" ").Time(pass.Time).Raw("</p><p class=\"outcome\">").Text(pass.Message).Raw("</p>");
        TargetPageHtml.ObjectTable(h, pass.Changed, "Nothing changed: every object was already as the commit says.");
        h.Raw("<h2>Release</h2>");
        ReleaseHtml.HookTable(h, pass.Hooks);
    }

    private static void Messages(Html h, CommitRecord c, string target)
    {
        var entries = c.Entries.Where(e => e.Target == target && e.Message is not null).ToList();
        if (entries.Count == 0)
        {
            return;
        }

        h.Raw("<h2>Status messages</h2><ul class=\"messages\">");
        foreach (var e in entries)
        {
            h.Raw("<li><span class=\"cluster\">").Text(e.Cluster).Raw("</span> ").Badge(e.Phase).Raw(" ").Text(e.Message).Raw("</li>");
        }

        h.Raw("</ul>");
    }

    private static void Files(Html h, CommitRecord c)
    {
        h.Raw("<h2>Files changed</h2>");
        if (c.ChangedFiles.Count == 0)
        {
            h.El("p", "No file under the target's path changed.", "empty");
            return;
        }

        h.Raw("<ul class=\"files\">");
        foreach (var f in c.ChangedFiles)
        {
            h.El("li", f);
        }

        h.Raw("</ul>");
        if (c.MoreFiles > 0)
        {
            h.El("p", $"and {c.MoreFiles} more", "muted");
        }
    }
}
