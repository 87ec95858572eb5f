using GitOps.Agent.Git;
using GitOps.Agent.Render;
using GitOps.Agent.Tests.Git;
using GitOps.TestSupport.Git;

namespace GitOps.Agent.Tests.Render;

/// <summary>
/// A kustomization whose base is another repository, served by the real HTTP git server: refused
/// unless the target allows remote resources; allowed, kustomize fetches it over the network.
/// </summary>
public sealed class RemoteKustomizeTests : IClassFixture<GitHttpServer>, IDisposable
{
    private readonly RemoteRepository app = new();
    private readonly RemoteRepository shared;
    private readonly string url;

    public RemoteKustomizeTests(GitHttpServer server)
    {
        var name = $"base-{Guid.NewGuid():N}.git";
        shared = new RemoteRepository(server.PathOf(name));
        shared.Write("base/kustomization.yaml", "resources: [cm.yaml]\n")
            .Write("base/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\ndata:\n  from: the-remote-base\n")
            .Commit("shared base");
        url = server.UrlOf(name).Replace("http://", $"http://{GitHttpServer.User}:{GitHttpServer.Token}@", StringComparison.Ordinal) + "//base?ref=main";
        app.Write("overlay/kustomization.yaml", $"resources:\n  - {url}\nnamePrefix: app-\n");
    }

    public void Dispose()
    {
        app.Dispose();
        shared.Dispose();
    }

    [Fact]
    public async Task Render_RemoteBase_ByDefault_IsRefusedNamingTheFileAndTheOption()
    {
        var ex = await Assert.ThrowsAsync<RenderException>(() => RenderAsync(KustomizeSettings.None));

        Assert.Contains("overlay/kustomization.yaml (resources):", ex.Message, StringComparison.Ordinal);
        Assert.Contains("is a remote resource; remote bases and files are refused", ex.Message, StringComparison.Ordinal);
        Assert.Contains("allowRemoteResources: true", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_RemoteBase_Allowed_IsFetchedOverHttp()
    {
        var files = await RenderAsync(new KustomizeSettings(AllowRemoteResources: true));

        var obj = Assert.Single(Diff.Render.ManifestRenderer.Render(files)).Object;
        Assert.Equal("app-shared", (string?)obj["metadata"]!["name"]);
        Assert.Equal("the-remote-base", (string?)obj["data"]!["from"]);
    }

    private async Task<IReadOnlyList<Diff.Render.ManifestFile>> RenderAsync(KustomizeSettings kustomize)
    {
        var commit = app.Commit("overlay");
        var git = new GitSource(app.CachePath);
        var spec = new GitSourceSpec(app.BarePath, "main", "overlay");
        var source = await git.GetRevisionAsync(spec, commit, CancellationToken.None);
        var job = new RenderJob("remote", SourceKind.Kustomize, "overlay", source.Render!.TreeKey, (dest, ct) => git.ExportAsync(spec, commit, dest, ct))
        {
            Kustomize = kustomize,
            Fingerprint = (paths, ct) => git.FingerprintAsync(spec, commit, paths, ct),
        };
        return await new ToolRenderer(RenderTool.Options).RenderAsync(job, CancellationToken.None);
    }
}
