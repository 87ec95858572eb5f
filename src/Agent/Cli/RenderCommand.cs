using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Agent.Git;
using GitOps.Agent.Render;
using GitOps.Diff.Identity;
using GitOps.Diff.Masking;
using GitOps.Diff.Order;
using GitOps.Diff.Render;

namespace GitOps.Agent.Cli;

/// <summary>
/// <c>gitops render --path DIR [-o yaml|json]</c>: offline, the objects of a folder in apply order.
/// A Kustomize folder or a Helm chart is rendered by the tool first, exactly as a sync would.
/// </summary>
internal static class RenderCommand
{
    public static Command Build()
    {
        var path = new Option<DirectoryInfo>("--path") { Description = "Folder of manifests (read recursively as a sync reads it: .yaml, .yml, .json, minus .gitopsignore), a Kustomize folder or a Helm chart", Required = true };
        var output = CliOptions.Output("yaml");
        var showSecrets = new Option<bool>("--show-secrets") { Description = "Print Secret values instead of (hidden)" };
        var ns = new Option<string>("--namespace", "-n") { Description = "Helm's release namespace", DefaultValueFactory = _ => "default" };
        var release = CliOptions.HelmRelease();
        var values = CliOptions.HelmValues();
        var repositories = HelmRepositoryOption.Create();
        var remote = CliOptions.KustomizeAllowRemote();
        var tools = new RenderToolOptions();
        var command = new Command("render", "Read manifests exactly as the agent does and print them in apply order") { path, output, showSecrets, ns, release, values, repositories, remote };
        foreach (var option in tools.All)
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, ct) => RunAsync(
            parse.GetValue(path)!, parse.GetValue(output)!, parse.GetValue(showSecrets), parse.GetValue(ns)!, HelmRepositoryOption.With(CliOptions.RenderSettings(parse, release, values, remote), parse, repositories), tools.Read(parse), ct));
        return command;
    }

    private static async Task<int> RunAsync(DirectoryInfo dir, string output, bool showSecrets, string ns, RenderSettings settings, RenderOptions tools, CancellationToken ct)
    {
        if (!dir.Exists)
        {
            return CliOutput.Error($"{dir.FullName}: no such directory", 2);
        }

        try
        {
            var manifests = ManifestRenderer.Render(await FilesAsync(dir, ns, settings, tools, ct));
            var ordered = ApplyOrder.Sort(manifests, m => KeyOf(m.Object))
                .Select(m => showSecrets ? m.Object : SecretMasker.MaskObject(m.Object)).ToList();
            Console.Out.Write(output == "json" ? Json(ordered) : YamlWriter.Write(ordered));
            return 0;
        }
        catch (Exception ex) when (ex is ManifestException or GitSourceException or RenderException)
        {
            return CliOutput.Error(ex.Message, 2);
        }
    }

    private static async Task<IReadOnlyList<ManifestFile>> FilesAsync(DirectoryInfo dir, string ns, RenderSettings settings, RenderOptions tools, CancellationToken ct)
    {
        var kind = SourceKinds.Detect(name => File.Exists(Path.Combine(dir.FullName, name)));
        if (kind == SourceKind.Plain)
        {
            return FolderReader.Read(dir.FullName, GitOptions.Default).Select(f => new ManifestFile(f.Path, f.Content)).ToList();
        }

        var (root, path) = FolderExport.Locate(dir.FullName);
        var job = new RenderJob(dir.Name, kind, path, TreeKey: null, (dest, token) => FolderExport.CopyAsync(root, path, dest, GitOptions.Default, token))
        {
            Helm = settings.Helm,
            Kustomize = settings.Kustomize,
            Namespace = ns,
        };
        return await new ToolRenderer(tools).RenderAsync(job, ct);
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
