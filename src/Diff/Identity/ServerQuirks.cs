using System.Text.Json.Nodes;

namespace GitOps.Diff.Identity;

/// <summary>
/// Rewrites a manifest into the form the API server keeps, where server-side apply would
/// otherwise misbehave. Each rule is a known quirk, named and explained; nothing else changes.
/// </summary>
public static class ServerQuirks
{
    private static readonly HashSet<string> PodTemplateKinds = new(StringComparer.Ordinal)
    {
        "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job",
    };

    public static void Normalize(string group, string kind, JsonObject obj)
    {
        switch (group, kind)
        {
            case ("", "Secret"):
                MoveStringData(obj);
                break;
            case ("", "Service"):
                DefaultProtocol(obj["spec"]?["ports"]);
                break;
            case ("", "Pod"):
                DefaultContainerPorts(obj["spec"]);
                break;
            case ("batch", "CronJob"):
                DefaultContainerPorts(obj["spec"]?["jobTemplate"]?["spec"]?["template"]?["spec"]);
                break;
            case ("apps" or "batch", _) when PodTemplateKinds.Contains(kind):
                DefaultContainerPorts(obj["spec"]?["template"]?["spec"]);
                break;
        }
    }

    /// <summary>
    /// The server turns <c>stringData</c> into <c>data</c> and never returns it; applying the
    /// <c>data</c> form makes the agent own the fields it can later read back and compare.
    /// </summary>
    private static void MoveStringData(JsonObject secret)
    {
        if (secret["stringData"] is not JsonObject stringData)
        {
            return;
        }

        var data = secret["data"] as JsonObject ?? [];
        foreach (var (key, value) in stringData)
        {
            var text = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? string.Empty;
            data[key] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));
        }

        secret.Remove("stringData");
        secret["data"] = data;
    }

    /// <summary>
    /// Ports are keyed by (port, protocol) in server-side apply, and before Kubernetes 1.21 the
    /// server rejects a port without <c>protocol</c> ("associative list … omits key field");
    /// TCP is the default the server would apply anyway.
    /// </summary>
    private static void DefaultContainerPorts(JsonNode? podSpec)
    {
        foreach (var list in new[] { "containers", "initContainers" })
        {
            foreach (var container in (podSpec?[list] as JsonArray ?? []).OfType<JsonObject>())
            {
                DefaultProtocol(container["ports"]);
            }
        }
    }

    private static void DefaultProtocol(JsonNode? ports)
    {
        foreach (var port in (ports as JsonArray ?? []).OfType<JsonObject>())
        {
            if (!port.ContainsKey("protocol"))
            {
                port["protocol"] = "TCP";
            }
        }
    }
}
