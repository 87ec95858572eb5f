using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Diff.Identity;
using GitOps.Diff.Masking;
using GitOps.Diff.Order;
using GitOps.Diff.Render;

namespace GitOps.Agent.Cli;

/// <summary><c>gitops render --path DIR [-o yaml|json]</c>: offline, the objects of a folder in apply order.</summary>
internal static class RenderCommand
{
    public static Command Build()
    {
        var path = new Option<DirectoryInfo>("--path") { Description = "Folder of manifests (read recursively as a sync reads it: .yaml, .yml, .json, minus .gitopsignore)", Required = true };
        var output = CliOptions.Output("yaml");
        var showSecrets = new Option<bool>("--show-secrets") { Description = "Print Secret values instead of (hidden)" };
        var command = new Command("render", "Read manifests exactly as the agent does and print them in apply order") { path, output, showSecrets };
        command.SetAction(parse => Run(parse.GetValue(path)!, parse.GetValue(output)!, parse.GetValue(showSecrets)));
        return command;
    }

    private static int Run(DirectoryInfo dir, string output, bool showSecrets)
    {
        if (!dir.Exists)
        {
            return CliOutput.Error($"{dir.FullName}: no such directory", 2);
        }

        try
        {
            var files = Git.FolderReader.Read(dir.FullName, Git.GitOptions.Default).Select(f => new ManifestFile(f.Path, f.Content));
            var manifests = ManifestRenderer.Render(files.ToList());
            var ordered = ApplyOrder.Sort(manifests, m => KeyOf(m.Object))
                .Select(m => showSecrets ? m.Object : SecretMasker.MaskObject(m.Object)).ToList();
            Console.Out.Write(output == "json" ? Json(ordered) : YamlWriter.Write(ordered));
            return 0;
        }
        catch (Exception ex) when (ex is ManifestException or Git.GitSourceException)
        {
            return CliOutput.Error(ex.Message, 2);
        }
    }

    /// <summary>Apply order needs no server here: unknown scope only affects the namespace, not the order.</summary>
    private static ResourceKey KeyOf(JsonObject obj)
    {
        var (group, _) = GroupKind.SplitApiVersion((string?)obj["apiVersion"] ?? string.Empty);
        return new ResourceKey(group, (string?)obj["kind"] ?? string.Empty, (string?)obj["metadata"]?["namespace"], (string?)obj["metadata"]?["name"] ?? string.Empty);
    }

    private static string Json(IReadOnlyList<JsonObject> objects)
    {
        JsonNode node = objects.Count == 1
            ? objects[0]
            : new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = new JsonArray([.. objects.Select(o => (JsonNode)o.DeepClone())]) };
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }
}
