using BenchmarkDotNet.Running;
using GitOps.Benchmarks;

// eng/bench-diff.sh: dotnet run -c Release --project tests/Benchmarks -- --filter '*'
// eng/bench.sh:      dotnet GitOps.Benchmarks.dll ceiling --kubeconfig K --path DIR [--parallel N]
//                    dotnet GitOps.Benchmarks.dll push-latency --kubeconfig K --namespace NS --mode webhook|poll --out FILE [--pushes N] [--interval S]
//                    dotnet GitOps.Benchmarks.dll notes-pushes --targets N --batching on|off
if (args.Length > 0 && args[0] == "ceiling")
{
    return await Ceiling.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "push-latency" && !OperatingSystem.IsWindows())
{
    return await PushLatency.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "notes-pushes" && !OperatingSystem.IsWindows())
{
    return await NotesPushes.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "render")
{
    return await RenderPasses.RunAsync(args[1..]); // eng/bench.sh: render cold vs cached, no-op pass Helm vs plain
}

if (args.Length > 0 && args[0] == "chart-repository")
{
    return await ChartRepositoryPasses.RunAsync(); // eng/bench.sh: chart dependencies from a repository, cold vs cached, beside helm
}

BenchmarkSwitcher.FromAssembly(typeof(Ceiling).Assembly).Run(args);
return 0;
