using System.Text.Json.Nodes;
using GitOps.Diff.Masking;
using GitOps.Diff.Render;

namespace GitOps.Agent.Render;

/// <summary>
/// The Secret values a failed render may echo in its stderr, gathered from the repository copy
/// under the target folder: Secret manifests (a base, a chart's static files), kustomize
/// <c>secretGenerator</c> literals, and string values values under secret-looking keys of any YAML file there (Helm values). A best effort
/// for text that is not manifests yet; files that do not read are skipped.
/// </summary>
internal static class StderrSecrets
{
    private const long MaxBytes = 4L << 20;
    private static readonly string[] SecretWords = ["password", "passwd", "token", "secret", "key", "credential"];

    public static SecretRedactor For(string repo, string folder, IEnumerable<string> valuesFiles)
    {
        var secrets = new List<JsonObject>();
        var root = Path.Combine(repo, folder);
        long read = 0;
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Where(IsYaml).Concat(valuesFiles))
        {
            var info = new FileInfo(file);
            if (!info.Exists || (read += info.Length) > MaxBytes)
            {
                continue;
            }

            try
            {
                foreach (var (node, _) in ManifestRenderer.ReadDocuments(file, File.ReadAllText(file)))
                {
                    Collect(node, secrets);
                }
            }
            catch (ManifestException)
            {
                // a template, not YAML: nothing to learn from it
            }
        }

        return SecretRedactor.For(secrets);
    }

    private static void Collect(JsonNode? node, List<JsonObject> secrets)
    {
        if (node is not JsonObject obj)
        {
            return;
        }

        if ((string?)(obj["kind"] as JsonValue) == "Secret")
        {
            secrets.Add(obj);
        }

        var literals = (obj["secretGenerator"] as JsonArray ?? []).OfType<JsonObject>()
            .SelectMany(g => g["literals"] as JsonArray ?? []).OfType<JsonValue>()
            .Select(v => v.TryGetValue<string>(out var s) ? (s.Contains('=', StringComparison.Ordinal) ? s[(s.IndexOf('=', StringComparison.Ordinal) + 1)..] : s) : null).OfType<string>();
        var values = Strings(obj); // values files (a chart's values.yaml too): keys that look secret
        var data = new JsonObject();
        foreach (var (value, i) in literals.Concat(values).Select((v, i) => (v, i)))
        {
            data[$"v{i}"] = value;
        }

        if (data.Count > 0)
        {
            secrets.Add(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Secret", ["stringData"] = data });
        }
    }

    /// <summary>String leaves of a values file under keys that look secret (password, token, key, secret).</summary>
    private static IEnumerable<string> Strings(JsonNode? node, string key = "")
    {
        switch (node)
        {
            case JsonObject o:
                return o.SelectMany(p => Strings(p.Value, p.Key));
            case JsonArray a:
                return a.SelectMany(i => Strings(i, key));
            case JsonValue v when v.TryGetValue<string>(out var s) && s.Length >= 4 && LooksSecret(key):
                return [s];
            default:
                return [];
        }
    }

    private static bool LooksSecret(string key) =>
        SecretWords.Any(w => key.Contains(w, StringComparison.OrdinalIgnoreCase));

    private static bool IsYaml(string path) => path.EndsWith(".yaml", StringComparison.Ordinal) || path.EndsWith(".yml", StringComparison.Ordinal)
        || Path.GetFileName(path) == "Kustomization";
}
