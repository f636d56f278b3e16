using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(EieHdl.Benchmarks.GoldenModelBenchmark).Assembly).Run(args);
