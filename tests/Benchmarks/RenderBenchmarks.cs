using BenchmarkDotNet.Attributes;
using GitOps.Diff.Render;

namespace GitOps.Benchmarks;

/// <summary>Target: a 5,000-object repository renders in under a second.</summary>
[MemoryDiagnoser]
public class RenderBenchmarks
{
    private IReadOnlyList<ManifestFile> files = [];

    [Params(5_000)]
    public int Objects { get; set; }

    [GlobalSetup]
    public void Setup() => files = GeneratedRepository.Files(Objects, objectsPerFile: 4);

    [Benchmark]
    public int RenderRepository() => ManifestRenderer.Render(files).Count;
}
