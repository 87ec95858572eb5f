using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace GitOps.TestSupport.Forge;

/// <summary>JSON Schema validation (JsonSchema.Net), reported as one line per failing location.</summary>
internal static class JsonSchemaCheck
{
    public static IReadOnlyList<string> Problems(string schemaText, JsonNode instance)
    {
        // A base URI of its own, so schemas built from the same text never collide in the registry.
        var schema = JsonSchema.FromText(schemaText, baseUri: new Uri($"https://gitops.test/schema/{Guid.NewGuid():N}"));
        using var document = JsonDocument.Parse(instance.ToJsonString());
        var result = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
        {
            return [];
        }

        var problems = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{(d.InstanceLocation.ToString() is { Length: > 0 } at ? at : "/")}: {e.Key}: {e.Value}"))
            .Distinct()
            .ToList();
        return problems.Count > 0 ? problems : ["invalid (the validator named no location)"];
    }
}
