namespace GitOps.Agent.Hosting.Web;

/// <summary>
/// The read-only pages and their JSON API on the agent's port (<c>web:</c> in the configuration).
/// </summary>
/// <param name="Enabled">Serve the pages (default true); false leaves only the probes, metrics and hooks.</param>
/// <param name="TokenFile">
/// A file holding a token the pages and the API ask for (as <c>Authorization: Bearer</c>, or once as
/// <c>?token=</c>, which sets a cookie); null (the default) serves them to anyone who reaches the port.
/// </param>
internal sealed record WebOptions(bool Enabled = true, string? TokenFile = null)
{
    /// <summary>Commits of each target's branch the pages list (the history is read from the local clone).</summary>
    public int CommitHistory { get; init; } = 50;

    /// <summary>Targets per page of the front page and, by default, of <c>/api/targets</c>.</summary>
    public int PageSize { get; init; } = 100;

    /// <summary>The least time between two events of <c>/api/events</c> to one client: many passes, one refresh.</summary>
    public TimeSpan EventInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Reads <c>web: {enabled, tokenFile}</c>; absent, every default.</summary>
    public static WebOptions Read(ConfigNode top)
    {
        var web = top.Mapping("web");
        if (web is null)
        {
            return new WebOptions();
        }

        var options = new WebOptions(web.Bool("enabled") ?? true, web.String("tokenFile"));
        web.Finish();
        return options;
    }
}
