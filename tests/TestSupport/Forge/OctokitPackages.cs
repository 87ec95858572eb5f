namespace GitOps.TestSupport.Forge;

/// <summary>
/// Where eng/test-deps.sh installs GitHub's published descriptions from npm: the REST API
/// (<c>@octokit/openapi</c>), the webhook payload schemas (<c>@octokit/webhooks-schemas</c>) and
/// real example payloads (<c>@octokit/webhooks-examples</c>). A test that needs them fails (never
/// skips) with the command that installs them.
/// </summary>
internal static class OctokitPackages
{
    /// <summary>Overrides the folder (whose <c>node_modules/</c> holds the packages).</summary>
    public const string Variable = "GITOPS_TEST_NPM_DIR";

    /// <summary>The folder eng/test-deps.sh installs into when <see cref="Variable"/> is not set.</summary>
    public const string DefaultRoot = "/var/cache/gitops-test-npm";

    public static string Root => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } dir ? dir : DefaultRoot;

    /// <summary>The path of <paramref name="relative"/> inside the installed npm package <paramref name="package"/>.</summary>
    public static string File(string package, string relative)
    {
        var path = Path.Combine(Root, "node_modules", package, relative);
        return System.IO.File.Exists(path)
            ? path
            : throw new InvalidOperationException($"{path} not found: the npm package {package} is not installed; run eng/test-deps.sh (or set {Variable} to where it is)");
    }
}
