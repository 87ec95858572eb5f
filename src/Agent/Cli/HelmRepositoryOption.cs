using System.CommandLine;
using GitOps.Agent.Render;

namespace GitOps.Agent.Cli;

/// <summary>
/// <c>--helm-repository NAME=URL[,usernameFile=F,passwordFile=F,caFile=F,insecureSkipTlsVerify=true,allowHosts=H;H]</c>
/// (repeatable) on <c>render</c>, <c>diff</c> and <c>sync</c>: a chart repository dependencies may
/// come from, as a target's <c>helm.repositories</c> entry. Secrets only by file.
/// </summary>
internal static class HelmRepositoryOption
{
    private static readonly string[] Keys = ["usernameFile", "passwordFile", "caFile", "insecureSkipTlsVerify", "allowHosts"];

    public static Option<string[]> Create()
    {
        var option = new Option<string[]>("--helm-repository")
        {
            Description = "Chart repository for dependencies not vendored under charts/: NAME=URL (http(s):// index or oci://), then ,usernameFile=F,passwordFile=F,caFile=F,allowHosts=H;H (repeatable)",
            AllowMultipleArgumentsPerToken = false,
        };
        option.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (Parse(token.Value, out _) is { } error)
                {
                    result.AddError($"--helm-repository '{token.Value}': {error}");
                }
            }
        });
        return option;
    }

    /// <summary>The render settings with the repositories the flag names (already validated by the parser).</summary>
    public static RenderSettings With(RenderSettings settings, ParseResult parse, Option<string[]> option)
    {
        var repositories = (parse.GetValue(option) ?? []).Select(v => Parse(v, out var r) is { } error ? throw new FormatException(error) : r!).ToList();
        return settings with { Helm = settings.Helm with { Repositories = repositories } };
    }

    /// <returns>Null and the repository, or what is wrong.</returns>
    internal static string? Parse(string text, out ChartRepository? repository)
    {
        repository = null;
        var parts = text.Split(',');
        var equals = parts[0].IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || !ChartRepository.IsValidUrl(parts[0][(equals + 1)..]))
        {
            return $"must start NAME=URL, and the URL {ChartRepository.UrlRule}";
        }

        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in parts.Skip(1))
        {
            var at = part.IndexOf('=', StringComparison.Ordinal);
            var key = at < 0 ? part : part[..at];
            if (at < 0 || !Keys.Contains(key, StringComparer.Ordinal) || !settings.TryAdd(key, part[(at + 1)..]))
            {
                return $"'{key}' is not one of {string.Join(", ", Keys)} (each once, as KEY=VALUE)";
            }
        }

        if (settings.ContainsKey("usernameFile") != settings.ContainsKey("passwordFile"))
        {
            return "usernameFile and passwordFile go together";
        }

        repository = new ChartRepository(
            parts[0][..equals], parts[0][(equals + 1)..], settings.GetValueOrDefault("usernameFile"), settings.GetValueOrDefault("passwordFile"),
            settings.GetValueOrDefault("caFile"), settings.GetValueOrDefault("insecureSkipTlsVerify") == "true")
        {
            AllowHosts = settings.TryGetValue("allowHosts", out var hosts) ? hosts.Split(';', StringSplitOptions.RemoveEmptyEntries) : [],
        };
        return null;
    }
}
