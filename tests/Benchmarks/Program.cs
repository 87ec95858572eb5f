using BenchmarkDotNet.Running;

// eng/bench-diff.sh: dotnet run -c Release --project tests/Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
