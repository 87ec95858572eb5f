using GitOps.Agent.Sync;

namespace GitOps.Agent.Hosting.Web;

/// <summary>The "Release" part of the target and commit pages: a pass's hooks, each with its phase, outcome and why.</summary>
internal static class ReleaseHtml
{
    /// <summary>The target page's section: the hooks of its last release (<see cref="TargetView.LastRelease"/>).</summary>
    public static void Section(Html h, TargetView t)
    {
        h.Raw("<h2>Release</h2>");
        if (t.LastRelease is not { } release)
        {
            h.El("p", "No pass has run yet.", "empty");
            return;
        }

        h.Raw("<p class=\"muted\">Hooks of the pass that applied ").Commit(t.Name, release.Commit).Raw(", ").Time(release.Time)
            .Raw(" (objects' waves are in the table above)</p>");
        HookTable(h, release.Hooks);
    }

    /// <summary>Hooks with kind, namespace, name, phase, outcome and message; every text encoded (a message may quote a hostile manifest).</summary>
    public static void HookTable(Html h, IReadOnlyList<HookResult> hooks)
    {
        if (hooks.Count == 0)
        {
            h.El("p", "The revision has no hooks.", "empty");
            return;
        }

        h.Raw("<div class=\"scroll\"><table class=\"hooks\"><thead><tr><th>Kind</th><th>Namespace</th><th>Name</th><th>Phase</th><th>Outcome</th><th>Message</th></tr></thead><tbody>");
        foreach (var k in hooks)
        {
            h.Raw("<tr><td data-label=\"Kind\">").Text(k.Key.Kind).Raw("</td><td data-label=\"Namespace\">").Text(k.Key.Namespace ?? "-")
                .Raw("</td><td data-label=\"Name\" class=\"name\">").Text(k.Key.Name).Raw("</td><td data-label=\"Phase\">").Text(k.Phase.ToString())
                .Raw("</td><td data-label=\"Outcome\">").Badge(k.Outcome.ToContract())
                .Raw(k.Outcome == HookOutcome.Failed ? "</td><td data-label=\"Message\" class=\"error\">" : "</td><td data-label=\"Message\">").Text(k.Message)
                .Raw("</td></tr>");
        }

        h.Raw("</tbody></table></div>");
    }
}
