using GitOps.Agent.Git;
using GitOps.Agent.Render;
using GitOps.Agent.Tests.Git;
using GitOps.TestSupport.Helm;

namespace GitOps.Agent.Tests.Render;

/// <summary>
/// Chart dependencies from a real OCI registry (Debian's docker-registry over TLS with htpasswd,
/// charts put there by <c>helm push</c>): the oracle is <c>helm dependency build</c> then
/// <c>helm template</c>; the login and the CA come from the target's files.
/// </summary>
public sealed class OciChartRepositoryTests : IDisposable
{
    private readonly TempFolder temp = new();
    private readonly OciRegistry registry = new();

    public void Dispose()
    {
        registry.Dispose();
        temp.Dispose();
    }

    [Fact]
    public async Task Render_DependencyFromOciRegistry_EqualsHelmTemplateAfterDependencyBuild()
    {
        registry.Push(ChartFolders.Lib(temp.Path, "1.0.0"));
        registry.Push(ChartFolders.Lib(temp.Path, "1.4.0"));
        ChartFolders.App(temp.Combine("repo", "app"), registry.Url, "^1.0.0");

        var files = await new ToolRenderer(RenderTool.Options).RenderAsync(Job(Repository(OciRegistry.Password)), CancellationToken.None);

        var actual = ChartRepositoryTests.Canonical(files);
        Assert.Equal(ChartRepositoryTests.Oracle(temp.Combine("repo", "app"), ["--registry-config", registry.LoginFile, "--ca-file", registry.CaFile]), actual);
        Assert.Contains(actual, o => o.Contains("\"libVersion\":\"1.4.0\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Render_OciRegistryCoveringThePath_MatchesADependencyBelowIt()
    {
        registry.Push(ChartFolders.Lib(temp.Path, "1.0.0"));
        ChartFolders.App(temp.Combine("repo", "app"), registry.Url, "1.0.0");
        var whole = Repository(OciRegistry.Password) with { Url = $"oci://127.0.0.1:{registry.Port}" };

        var actual = ChartRepositoryTests.Canonical(await new ToolRenderer(RenderTool.Options).RenderAsync(Job(whole), CancellationToken.None));

        Assert.Contains(actual, o => o.Contains("\"libVersion\":\"1.0.0\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Render_WrongRegistryPassword_FailsUnauthorizedWithoutThePassword()
    {
        registry.Push(ChartFolders.Lib(temp.Path, "1.0.0"));
        ChartFolders.App(temp.Combine("repo", "app"), registry.Url, "1.0.0");

        var ex = await Assert.ThrowsAsync<RenderException>(() => new ToolRenderer(RenderTool.Options).RenderAsync(Job(Repository("wrong-oci-password-1f7e")), CancellationToken.None));

        Assert.Contains($"fetching 'lib' 1.0.0 from chart repository 'registry' ({registry.Url}) failed", ex.Message, StringComparison.Ordinal);
        Assert.Contains("401", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-oci-password-1f7e", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(OciRegistry.Password, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_RegistryWithoutItsCa_FailsOnTheCertificate()
    {
        registry.Push(ChartFolders.Lib(temp.Path, "1.0.0"));
        ChartFolders.App(temp.Combine("repo", "app"), registry.Url, "1.0.0");

        var ex = await Assert.ThrowsAsync<RenderException>(() =>
            new ToolRenderer(RenderTool.Options).RenderAsync(Job(Repository(OciRegistry.Password) with { CaFile = null }), CancellationToken.None));

        Assert.Contains("certificate", ex.Message, StringComparison.Ordinal);
    }

    private ChartRepository Repository(string password) =>
        new("registry", registry.Url, registry.SecretFile("user", OciRegistry.User), registry.SecretFile("password", password), registry.CaFile, false);

    private RenderJob Job(ChartRepository repository) =>
        RenderTool.Job(temp.Combine("repo"), SourceKind.Helm, "app", helm: HelmSettings.None with { Repositories = [repository] });
}
