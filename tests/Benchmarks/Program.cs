using BenchmarkDotNet.Running;
using GitOps.Benchmarks;

// eng/bench-diff.sh: dotnet run -c Release --project tests/Benchmarks -- --filter '*'
// eng/bench.sh:      dotnet GitOps.Benchmarks.dll ceiling --kubeconfig K --path DIR [--parallel N]
if (args.Length > 0 && args[0] == "ceiling")
{
    return await Ceiling.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "render")
{
    return await RenderPasses.RunAsync(args[1..]); // eng/bench.sh: render cold vs cached, no-op pass Helm vs plain
}

BenchmarkSwitcher.FromAssembly(typeof(Ceiling).Assembly).Run(args);
return 0;
