namespace GitOps.Agent.Hosting.Web;

/// <summary>The pages' stylesheet, script and icon, embedded in the agent's assembly: no CDN, no font, nothing fetched elsewhere.</summary>
internal static class WebAssets
{
    private static readonly Dictionary<string, Asset> Assets = new(StringComparer.Ordinal)
    {
        ["/assets/app.css"] = Load("app.css", "text/css; charset=utf-8"),
        ["/assets/app.js"] = Load("app.js", "text/javascript; charset=utf-8"),
        ["/assets/icon.svg"] = Load("icon.svg", "image/svg+xml"),
    };

    public static Asset? Find(string path) => Assets.GetValueOrDefault(path);

    private static Asset Load(string name, string contentType)
    {
        var resource = $"GitOps.Agent.Hosting.Web.assets.{name}";
        using var stream = typeof(WebAssets).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded resource {resource} is missing from the agent's assembly");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return new Asset(contentType, copy.ToArray());
    }

    internal sealed record Asset(string ContentType, byte[] Bytes);
}
