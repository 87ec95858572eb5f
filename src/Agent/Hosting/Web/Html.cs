using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using GitOps.Diff.Drift;
using GitOps.Diff.Health;

namespace GitOps.Agent.Hosting.Web;

/// <summary>
/// A page under construction: every text goes through <see cref="Text"/> (HTML-encoded; commit
/// messages, object names and errors are hostile input), markup only through <see cref="Raw"/>
/// with literals of this assembly.
/// </summary>
internal sealed class Html(DateTimeOffset now)
{
    private readonly StringBuilder b = new(16 * 1024);

    public DateTimeOffset Now { get; } = now;

    public Html Raw(string markup)
    {
        b.Append(markup);
        return this;
    }

    public Html Text(string? text)
    {
        b.Append(HtmlEncoder.Default.Encode(text ?? string.Empty));
        return this;
    }

    /// <summary>An element with encoded text: <c>&lt;td class="c"&gt;text&lt;/td&gt;</c>.</summary>
    public Html El(string tag, string? text, string? cls = null) =>
        Raw(cls is null ? $"<{tag}>" : $"<{tag} class=\"{cls}\">").Text(text).Raw($"</{tag}>");

    /// <summary>A link; <paramref name="href"/> is built by this assembly from escaped parts and is encoded again.</summary>
    public Html Link(string href, string? text, string? cls = null) =>
        Raw("<a href=\"").Text(href).Raw(cls is null ? "\">" : $"\" class=\"{cls}\">").Text(text).Raw("</a>");

    /// <summary>Status by colour and by word: the class picks the colour, the text says it.</summary>
    public Html Badge(string word) => Raw($"<span class=\"badge s-{Css(word)}\">").Text(word).Raw("</span>");

    public Html Phase(TargetPhase phase) => Badge(phase.ToString());

    public Html Health(HealthStatus health) => Badge(health.ToString());

    public Html Action(SyncAction action) => Badge(action.ToContract());

    /// <summary>"3 min ago" with the absolute UTC time beside it (and in the datetime attribute the script re-reads).</summary>
    public Html Time(DateTimeOffset? time)
    {
        if (time is not { } t)
        {
            return Raw("<span class=\"muted\">never</span>");
        }

        var iso = t.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var absolute = t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
        return Raw($"<time datetime=\"{iso}\" title=\"{absolute}\">").Text(Relative(Now - t)).Raw("</time> <span class=\"abs\">").Text(absolute).Raw("</span>");
    }

    /// <summary>A commit's short SHA linking to its page; a dash when there is none.</summary>
    public Html Commit(string target, string? sha) =>
        sha is { Length: >= 7 } ? Raw("<code>").Link(Urls.Commit(target, sha), sha[..7]).Raw("</code>") : Raw("<span class=\"muted\">-</span>");

    /// <summary>The page around <paramref name="body"/>: one stylesheet and one script of the agent's own, nothing inline.</summary>
    public static string Page(string title, string cluster, long version, DateTimeOffset now, Action<Html> body)
    {
        var h = new Html(now);
        h.Raw("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Raw("<title>").Text(title).Raw(" · gitops</title><link rel=\"icon\" href=\"/assets/icon.svg\"><link rel=\"stylesheet\" href=\"/assets/app.css\">")
            .Raw("<script src=\"/assets/app.js\" defer></script></head><body><header><a class=\"brand\" href=\"/\">gitops</a> <span class=\"muted\">cluster</span> ")
            .Text(cluster).Raw(" <span id=\"live\" class=\"live\" title=\"live updates\">static</span></header>")
            .Raw($"<main id=\"view\" data-version=\"{version.ToString(CultureInfo.InvariantCulture)}\">");
        body(h);
        h.Raw("</main></body></html>");
        return h.ToString();
    }

    public override string ToString() => b.ToString();

    public static string Relative(TimeSpan ago) => ago.TotalSeconds switch
    {
        < 0 => "just now",
        < 60 => $"{(int)ago.TotalSeconds} s ago",
        < 3600 => $"{(int)ago.TotalMinutes} min ago",
        < 86400 => $"{(int)ago.TotalHours} h ago",
        _ => $"{(int)ago.TotalDays} d ago",
    };

    private static string Css(string word) => string.Concat(word.Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant));
}

/// <summary>The pages' addresses, with every variable part escaped.</summary>
internal static class Urls
{
    public static string Target(string name) => "/targets/" + Uri.EscapeDataString(name);

    public static string Commit(string target, string sha) => Target(target) + "/commits/" + Uri.EscapeDataString(sha);
}
