using System.CommandLine;
using GitOps.Agent.Render;

namespace GitOps.Agent.Cli;

/// <summary>
/// <c>--helm-binary</c>, <c>--kustomize-binary</c>, <c>--render-timeout</c> on <c>render</c>, <c>diff</c>
/// and <c>sync</c>: the CLI's side of the agent config's <c>render: {helm, kustomize, timeout}</c>,
/// checked the same way (a path that names no file is an error before anything is read). A flag
/// left out falls back to <c>GITOPS_HELM</c>, <c>GITOPS_KUSTOMIZE</c>, <c>GITOPS_RENDER_TIMEOUT</c>
/// (<see cref="RenderOptions.FromEnvironment"/>).
/// </summary>
internal sealed class RenderToolOptions
{
    public Option<string?> Helm { get; } = Binary("--helm-binary", "The helm binary charts are rendered with: a path, or a name looked up on PATH (default: $GITOPS_HELM, else helm)");

    public Option<string?> Kustomize { get; } = Binary("--kustomize-binary", "The kustomize binary, or a kubectl whose 'kubectl kustomize' is used: a path, or a name looked up on PATH (default: $GITOPS_KUSTOMIZE, else kubectl)");

    public Option<string?> Timeout { get; } = TimeoutOption();

    public IEnumerable<Option> All => [Helm, Kustomize, Timeout];

    /// <summary>The tools the flags name, over the environment's (the flags are validated by the parser).</summary>
    public RenderOptions Read(ParseResult parse)
    {
        var fallback = RenderOptions.FromEnvironment();
        return fallback with
        {
            HelmPath = parse.GetValue(Helm) ?? fallback.HelmPath,
            KustomizePath = parse.GetValue(Kustomize) ?? fallback.KustomizePath,
            Timeout = parse.GetValue(Timeout) is { } timeout ? Duration.Parse(timeout) : fallback.Timeout,
        };
    }

    /// <summary>A binary's path, or a bare name looked up on PATH; a path that names no file is refused at once, as in the agent config.</summary>
    private static Option<string?> Binary(string name, string description)
    {
        var option = new Option<string?>(name) { Description = description };
        option.Validators.Add(result =>
        {
            var path = result.GetValueOrDefault<string?>();
            if (path is null)
            {
                return;
            }

            if (path.Trim().Length == 0)
            {
                result.AddError($"{name} must name a binary (a path, or a name looked up on PATH)");
            }
            else if (path.Contains('/', StringComparison.Ordinal) && !File.Exists(path))
            {
                result.AddError($"{name}: no file at '{path}'");
            }
        });
        return option;
    }

    private static Option<string?> TimeoutOption()
    {
        var option = new Option<string?>("--render-timeout") { Description = "How long one helm or kustomize run may take, then it is killed (e.g. 90s, 2m; default: $GITOPS_RENDER_TIMEOUT seconds, else 90s)" };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is not { } text)
            {
                return;
            }

            try
            {
                if (Duration.Parse(text) < TimeSpan.FromSeconds(1))
                {
                    result.AddError($"--render-timeout '{text}' must be at least 1s");
                }
            }
            catch (FormatException ex)
            {
                result.AddError($"--render-timeout {ex.Message}");
            }
        });
        return option;
    }
}
