using System.Text.Json.Nodes;
using GitOps.Agent.Git;
using GitOps.Diff.Masking;
using GitOps.Diff.Render;

namespace GitOps.Agent.Render;

/// <summary>
/// The Secret values a failed render may echo in its stderr, gathered from the repository copy:
/// Secret manifests and kustomize <c>secretGenerator</c> values (literals, env files, files) of
/// any kustomization anywhere in the copy (a superset of what the build reaches), and string values
/// under secret-looking keys of what the build reads first hand: YAML under the target folder and
/// under every kustomization <see cref="KustomizeGuard"/> finds reachable, the files they name,
/// the Helm values files and the inline Helm values of the agent config. A best effort for text
/// that is not manifests yet; files that do not read are skipped. What the build can load is read
/// first, so the read budget, when exceeded, leaves out only the rest of the copy.
/// </summary>
internal static class StderrSecrets
{
    private const long MaxBytes = 4L << 20;
    private static readonly string[] SecretWords = ["password", "passwd", "token", "secret", "key", "credential"];

    /// <param name="repo">The repository copy on disk.</param>
    /// <param name="folder">The target folder, from the repository root.</param>
    /// <param name="valuesFiles">The Helm values files, from the repository root.</param>
    /// <param name="inlineValues">The Helm values of the agent config, if any.</param>
    public static SecretRedactor For(string repo, string folder, IEnumerable<string> valuesFiles, JsonObject? inlineValues = null)
    {
        var reader = new Reader(Path.GetFullPath(repo));
        foreach (var value in Strings(inlineValues))
        {
            reader.Add(value);
        }

        var (folders, files) = Reachable(repo, folder);
        var firstHand = folders.Prepend(folder).SelectMany(f => YamlUnder(Path.Combine(repo, f)))
            .Concat(files.Concat(valuesFiles).Select(f => Path.Combine(repo, f)));
        foreach (var file in firstHand)
        {
            reader.Read(file, values: true);
        }

        foreach (var file in YamlUnder(repo))
        {
            reader.Read(file, values: false);
        }

        return SecretRedactor.For(reader.Secrets);
    }

    private static (IReadOnlyList<string> Folders, IReadOnlyList<string> Files) Reachable(string repo, string folder)
    {
        try
        {
            var reached = KustomizeGuard.Reachable(repo, folder, allowRemote: true);
            return (reached.Folders, reached.Files);
        }
        catch (Exception ex) when (ex is RenderException or ManifestException or IOException)
        {
            return ([], []); // the whole-copy pass still finds the Secrets and generators
        }
    }

    private static IEnumerable<string> YamlUnder(string root) =>
        Directory.Exists(root) ? Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Where(IsYaml) : [];

    /// <summary>String leaves of a values file under keys that look secret (password, token, key, secret).</summary>
    private static IEnumerable<string> Strings(JsonNode? node, string key = "") => node switch
    {
        JsonObject o => o.SelectMany(p => Strings(p.Value, p.Key)),
        JsonArray a => a.SelectMany(i => Strings(i, key)),
        JsonValue v when v.TryGetValue<string>(out var s) && s.Length >= 4 && LooksSecret(key) => [s],
        _ => [],
    };

    private static bool LooksSecret(string key) =>
        SecretWords.Any(w => key.Contains(w, StringComparison.OrdinalIgnoreCase));

    private static bool IsYaml(string path) => path.EndsWith(".yaml", StringComparison.Ordinal) || path.EndsWith(".yml", StringComparison.Ordinal)
        || Path.GetFileName(path) == "Kustomization";

    /// <summary>Reads each file once, within one byte budget, into Secret objects for the redactor.</summary>
    private sealed class Reader(string repo)
    {
        private readonly Dictionary<string, string?> texts = new(StringComparer.Ordinal);
        private readonly HashSet<string> parsed = new(StringComparer.Ordinal);
        private long bytes;

        public List<JsonObject> Secrets { get; } = [];

        public void Add(string value) => Secrets.Add(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Secret", ["stringData"] = new JsonObject { ["v"] = value } });

        public void Read(string file, bool values)
        {
            if (!parsed.Add(Path.GetFullPath(file)) || Text(file) is not { } text)
            {
                return;
            }

            try
            {
                foreach (var (node, _) in ManifestRenderer.ReadDocuments(file, text))
                {
                    Collect(node, Path.GetDirectoryName(Path.GetRelativePath(repo, Path.GetFullPath(file)))!.Replace('\\', '/'), values);
                }
            }
            catch (ManifestException)
            {
                // a template, not YAML: nothing to learn from it
            }
        }

        private void Collect(JsonNode? node, string folder, bool values)
        {
            if (node is not JsonObject obj)
            {
                return;
            }

            if ((string?)(obj["kind"] as JsonValue) == "Secret")
            {
                Secrets.Add(obj);
            }

            foreach (var generator in (obj["secretGenerator"] as JsonArray ?? []).OfType<JsonObject>())
            {
                Generator(generator, folder);
            }

            foreach (var value in values ? Strings(obj) : [])
            {
                Add(value);
            }
        }

        /// <summary>A secretGenerator's values: its literals, the values of its env files, the bytes of its files.</summary>
        private void Generator(JsonObject generator, string folder)
        {
            foreach (var literal in Names(generator["literals"]))
            {
                Add(AfterEquals(literal));
            }

            foreach (var env in Names(generator["envs"]).Concat(Names(generator["env"])).Select(f => Bytes(folder, f)).OfType<byte[]>())
            {
                var lines = System.Text.Encoding.UTF8.GetString(env).Split('\n').Select(l => l.TrimEnd('\r'));
                foreach (var line in lines.Where(l => !l.TrimStart().StartsWith('#') && l.Contains('=', StringComparison.Ordinal)))
                {
                    Add(AfterEquals(line));
                    Add(AfterEquals(line).Trim());
                }
            }

            foreach (var content in Names(generator["files"]).Select(f => Bytes(folder, AfterEquals(f))).OfType<byte[]>())
            {
                Secrets.Add(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Secret", ["data"] = new JsonObject { ["v"] = Convert.ToBase64String(content) } });
                Add(System.Text.Encoding.UTF8.GetString(content).Trim());
            }
        }

        private byte[]? Bytes(string folder, string name)
        {
            var inside = name.StartsWith('/') ? null : TreeExporter.Lexical(folder == "." ? string.Empty : folder, name);
            return inside is null || Text(Path.Combine(repo, inside)) is not { } text ? null : System.Text.Encoding.UTF8.GetBytes(text);
        }

        /// <summary>The file's text, read once while the budget lasts; null when missing or over budget.</summary>
        private string? Text(string file)
        {
            var info = new FileInfo(file);
            if (texts.TryGetValue(info.FullName, out var known))
            {
                return known;
            }

            string? text = null;
            try
            {
                text = info.Exists && (bytes += info.Length) <= MaxBytes ? File.ReadAllText(info.FullName) : null;
            }
            catch (IOException)
            {
                // unreadable: skipped
            }

            return texts[info.FullName] = text;
        }

        private static IEnumerable<string> Names(JsonNode? node) => node switch
        {
            JsonArray a => a.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : null).OfType<string>(),
            JsonValue v when v.TryGetValue<string>(out var s) => [s],
            _ => [],
        };

        private static string AfterEquals(string s) =>
            s.Contains('=', StringComparison.Ordinal) ? s[(s.IndexOf('=', StringComparison.Ordinal) + 1)..] : s;
    }
}
