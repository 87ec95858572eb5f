using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using GitOps.Diff.Drift;
using GitOps.Diff.Identity;
using GitOps.Diff.Render;

namespace GitOps.Benchmarks;

/// <summary>
/// Target: 5,000 unchanged pairs compared in under 200 ms. Live objects carry what a server adds
/// (uid, resourceVersion, managedFields, status); predicted objects are the desired ones with the
/// same server fields, as a dry-run apply returns them.
/// </summary>
[MemoryDiagnoser]
public class DriftBenchmarks
{
    private (ResourceKey Key, JsonObject Live, JsonObject Predicted)[] unchanged = [];
    private (ResourceKey Key, JsonObject Live, JsonObject Predicted)[] onePercentChanged = [];

    [Params(5_000)]
    public int Objects { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var manifests = ManifestRenderer.Render(GeneratedRepository.Files(Objects, objectsPerFile: 4));
        unchanged = manifests.Select(Pair).ToArray();
        onePercentChanged = manifests.Select(Pair).ToArray();
        for (var i = 0; i < onePercentChanged.Length; i += 100)
        {
            var predicted = onePercentChanged[i].Predicted;
            if (predicted["data"] is JsonObject data)
            {
                data["LOG_LEVEL"] = "debug";
            }
            else
            {
                predicted["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "registry.example.com/app:2.0.0";
            }
        }
    }

    [Benchmark]
    public int CompareUnchanged() => Count(unchanged);

    [Benchmark]
    public int CompareOnePercentChanged() => Count(onePercentChanged);

    private static int Count((ResourceKey Key, JsonObject Live, JsonObject Predicted)[] pairs)
    {
        var configured = 0;
        foreach (var (key, live, predicted) in pairs)
        {
            if (DriftCalculator.Compare(key, live, predicted).Action == SyncAction.Configured)
            {
                configured++;
            }
        }

        return configured;
    }

    private static (ResourceKey, JsonObject, JsonObject) Pair(Manifest manifest, int i)
    {
        var obj = manifest.Object;
        var metadata = obj["metadata"]!;
        var (group, _) = GroupKind.SplitApiVersion((string)obj["apiVersion"]!);
        var key = new ResourceKey(group, (string)obj["kind"]!, (string?)metadata["namespace"], (string)metadata["name"]!);
        return (key, GeneratedRepository.Live(obj, i), GeneratedRepository.Live(obj, i));
    }
}
